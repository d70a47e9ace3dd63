package dev.ferry.unpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.External;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OCI layer changeset rules, one case per test, layers built in code. */
class ChangesetTest {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    @TempDir
    Path tmp;
    private Path root;

    @BeforeEach
    void makeRoot() throws IOException {
        root = Files.createDirectory(tmp.resolve("rootfs"));
    }

    static List<LayerReport> unpack(Path root, UnpackOptions options, byte[]... layers) throws IOException {
        LayerApplier applier = new LayerApplier(root, options);
        List<LayerReport> reports = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            reports.add(applier.apply(new ByteArrayInputStream(layers[i]), "layer" + i));
        }
        applier.finish();
        return reports;
    }

    private List<LayerReport> unpack(byte[]... layers) throws IOException {
        return unpack(root, UnpackOptions.defaults(), layers);
    }

    @Test
    void aWhiteoutRemovesAFileOfALowerLayerAndIsNotWritten() throws IOException {
        unpack(new TarBuilder().dir("etc").file("etc/a", "a").file("etc/b", "b").bytes(),
                new TarBuilder().file("etc/.wh.a", "").bytes());
        assertFalse(Files.exists(root.resolve("etc/a"), NOFOLLOW));
        assertFalse(Files.exists(root.resolve("etc/.wh.a"), NOFOLLOW));
        assertEquals("b", Files.readString(root.resolve("etc/b")));
    }

    @Test
    void aWhiteoutOfADirectoryRemovesItsWholeSubtree() throws IOException {
        unpack(new TarBuilder().dir("d").dir("d/e").file("d/e/f", "f").symlink("d/l", "/etc").bytes(),
                new TarBuilder().file(".wh.d", "").bytes());
        assertFalse(Files.exists(root.resolve("d"), NOFOLLOW));
    }

    @Test
    void aWhiteoutOfAMissingPathChangesNothing() throws IOException {
        List<LayerReport> reports = unpack(new TarBuilder().file("kept", "k").bytes(),
                new TarBuilder().file(".wh.missing", "").file("nodir/.wh.x", "").file("kept/.wh.x", "").bytes());
        assertEquals(List.of("kept"), list(root));
        assertEquals(0, reports.get(1).skippedCount());
    }

    @Test
    void anOpaqueMarkerBeforeItsSiblingsHidesOnlyLowerEntries() throws IOException {
        unpack(new TarBuilder().dir("d").file("d/old", "o").dir("d/sub").file("d/sub/deep", "x").bytes(),
                new TarBuilder().dir("d").file("d/.wh..wh..opq", "").file("d/new", "n").dir("d/sub").file("d/sub/fresh", "f").bytes());
        assertEquals(List.of("new", "sub"), list(root.resolve("d")));
        assertEquals(List.of("fresh"), list(root.resolve("d/sub")));
    }

    @Test
    void anOpaqueMarkerAfterItsSiblingsKeepsTheSameLayersEntries() throws IOException {
        unpack(new TarBuilder().dir("d").file("d/old", "o").file("d/new", "lower").dir("d/sub").file("d/sub/deep", "x").bytes(),
                new TarBuilder().dir("d").file("d/new", "n").file("d/sub/fresh", "f").file("d/.wh..wh..opq", "").bytes());
        assertEquals(List.of("new", "sub"), list(root.resolve("d")));
        assertEquals("n", Files.readString(root.resolve("d/new")));
        assertEquals(List.of("fresh"), list(root.resolve("d/sub")), "lower entries below a kept directory are hidden too");
        assertFalse(Files.exists(root.resolve("d/.wh..wh..opq"), NOFOLLOW));
    }

    @Test
    void aWhiteoutAfterTheSameNameInItsLayerKeepsThatLayersEntry() throws IOException {
        unpack(new TarBuilder().file("f", "lower").bytes(), new TarBuilder().file("f", "upper").file(".wh.f", "").bytes());
        assertEquals("upper", Files.readString(root.resolve("f")));
    }

    @Test
    void typeChangesReplaceTheOldNodeAndADirectoryWithItsSubtree() throws IOException {
        unpack(new TarBuilder().dir("a").file("a/child", "c").file("b", "file").dir("c").file("c/x", "x").bytes(),
                new TarBuilder().file("a", "now a file").dir("b").file("b/inside", "i").symlink("c", "a").bytes());
        assertEquals("now a file", Files.readString(root.resolve("a")));
        assertTrue(Files.isDirectory(root.resolve("b"), NOFOLLOW));
        assertEquals("i", Files.readString(root.resolve("b/inside")));
        assertTrue(Files.isSymbolicLink(root.resolve("c")));
        assertEquals("a", Files.readSymbolicLink(root.resolve("c")).toString());
    }

    @Test
    void aDirectoryOverADirectoryKeepsItsChildrenAndTakesTheNewMode() throws IOException {
        unpack(new TarBuilder().dir("d", 0755, 0, 0).file("d/f", "f").bytes(), new TarBuilder().dir("d", 0700, 0, 0).bytes());
        assertEquals("f", Files.readString(root.resolve("d/f")));
        assertEquals(0700, mode(root.resolve("d")));
    }

    @Test
    void hardLinksShareTheInodeOfAFileOrOfASymlink() throws IOException {
        unpack(new TarBuilder().file("f", "data").symlink("s", "/f").bytes(),
                new TarBuilder().hardLink("f2", "f").hardLink("s2", "/s").hardLink("sub/f3", "./f").bytes());
        assertEquals(ino(root.resolve("f")), ino(root.resolve("f2")));
        assertEquals(ino(root.resolve("f")), ino(root.resolve("sub/f3")));
        assertEquals(ino(root.resolve("s")), ino(root.resolve("s2")));
        assertTrue(Files.isSymbolicLink(root.resolve("s2")));
    }

    @Test
    void aHardLinkToAMissingFileOrADirectoryIsSkippedWithItsReason() throws IOException {
        List<LayerReport> reports = unpack(new TarBuilder().dir("d").hardLink("x", "nothing").hardLink("y", "d").bytes());
        assertEquals(2, reports.getFirst().skippedCount());
        assertTrue(reports.getFirst().skipped().stream().allMatch(s -> s.reason() == LayerReport.Reason.INCONSISTENT));
        assertEquals(List.of("d"), list(root));
    }

    @Test
    void theLastOfDuplicateEntriesWinsAndOtherLinksKeepTheOldContent() throws IOException {
        unpack(new TarBuilder().file("f", "one").hardLink("g", "f").file("f", "two").dir("d").file("d", "file").bytes());
        assertEquals("two", Files.readString(root.resolve("f")));
        assertEquals("one", Files.readString(root.resolve("g")), "rewriting a name never writes through its other links");
        assertTrue(Files.isRegularFile(root.resolve("d"), NOFOLLOW));
    }

    @Test
    void longNamesInGnuAndPaxFormsAreWritten() throws IOException {
        String deep = "a".repeat(120) + "/" + "b".repeat(120) + "/" + "c".repeat(150);
        String other = "x".repeat(200) + "/" + "y".repeat(200);
        unpack(new TarBuilder().gnuLongNames().file(deep, "gnu").symlink("ln", "t".repeat(300)).bytes(),
                new TarBuilder().file(other, "pax").bytes());
        assertEquals("gnu", Files.readString(root.resolve(deep)));
        assertEquals("pax", Files.readString(root.resolve(other)));
        assertEquals("t".repeat(300), Files.readSymbolicLink(root.resolve("ln")).toString());
    }

    @Test
    void aPaxGlobalHeaderIsReadNotWritten() throws IOException {
        unpack(new TarBuilder().globalHeader("comment", "4a1b0c3e1f0a2b3c4d5e6f708192a3b4c5d6e7f8")
                .file("after", "a").globalHeader("uid", "1234").file("owned", "o").bytes());
        assertEquals(List.of("after", "owned"), list(root));
        assertEquals(1234, (Integer) Files.getAttribute(root.resolve("owned"), "unix:uid", NOFOLLOW),
                "a global record applies to the entries after it");
    }

    @Test
    void aSparseFileHasItsRealSizeAndContentAndHolesOnDisk() throws Exception {
        byte[] data = "middle".getBytes();
        unpack(new TarBuilder().sparse("holes", 64L << 20, 32L << 20, data).bytes());
        Path p = root.resolve("holes");
        assertEquals(64L << 20, Files.size(p));
        byte[] all = Files.readAllBytes(p);
        assertEquals("middle", new String(all, 32 << 20, data.length));
        assertEquals(0, all[0]);
        long blocks = Long.parseLong(External.check("stat", "-c", "%b", p.toString()).trim()); // 512-byte blocks
        assertTrue(blocks * 512 < 1 << 20, "holes are not written: " + blocks + " blocks");
    }

    private static List<String> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW) & 07777;
    }

    private static long ino(Path p) throws IOException {
        return (Long) Files.getAttribute(p, "unix:ino", NOFOLLOW);
    }
}
