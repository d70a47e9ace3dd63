package dev.ferry.unpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crafted layers that try to reach outside the root. The root sits three levels below a directory
 * that also holds {@code DIR/passwd}, the sentinel: whatever the layers do, it keeps its content,
 * mode and time, and nothing else appears outside the root. DIR is a fresh name, so a layer aiming
 * at "/" would show as {@code /DIR} on the host instead of touching the host's own /etc.
 */
class EscapeTest {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final FileTime SENTINEL_TIME = FileTime.fromMillis(1_000_000_000_000L);

    @TempDir
    Path tmp;
    private Path root;
    private Path sentinel;
    private final String dir = "ferry-sentinel-" + Long.toHexString(System.nanoTime());

    @BeforeEach
    void makeRootAndSentinel() throws IOException {
        root = Files.createDirectories(tmp.resolve("a/b/rootfs"));
        sentinel = Files.createDirectories(tmp.resolve(dir)).resolve("passwd");
        Files.writeString(sentinel, "root:x:0:0::/root:/bin/sh\n");
        Files.setLastModifiedTime(sentinel, SENTINEL_TIME);
    }

    @AfterEach
    void outsideIsUntouched() throws IOException {
        assertEquals("root:x:0:0::/root:/bin/sh\n", Files.readString(sentinel));
        assertEquals(SENTINEL_TIME, Files.getLastModifiedTime(sentinel, NOFOLLOW));
        assertEquals(0644, ChangesetTest.mode(sentinel));
        assertEquals(1L, (long) (Integer) Files.getAttribute(sentinel, "unix:nlink"), "no hard link was made to it");
        try (Stream<Path> outside = Files.walk(tmp)) {
            List<String> found = outside.filter(p -> !p.startsWith(root)).map(p -> tmp.relativize(p).toString()).sorted().toList();
            assertEquals(List.of("", "a", "a/b", dir, dir + "/passwd"), found);
        }
        assertFalse(Files.exists(Path.of("/", dir), NOFOLLOW), "nothing was made in the host's root");
    }

    private List<LayerReport> unpack(byte[]... layers) throws IOException {
        return ChangesetTest.unpack(root, UnpackOptions.defaults(), layers);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "../../..", "../../../", "/../../..", "../../../etc/.."})
    void aSymlinkOutOfTheRootIsFollowedAsIfTheRootWereSlash(String target) throws IOException {
        unpack(new TarBuilder().symlink("l", target).bytes(),
                new TarBuilder().file("l/" + dir + "/passwd", "mine").bytes());
        assertEquals(Path.of(target), Files.readSymbolicLink(root.resolve("l")),
                "the symlink itself is stored as the layer has it");
        assertEquals("mine", Files.readString(root.resolve(dir + "/passwd")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "../../.."})
    void directoriesHardLinksWhiteoutsAndOpaqueMarkersThroughSuchASymlinkStayInside(String target) throws IOException {
        unpack(new TarBuilder().symlink("l", target).dir(dir).file(dir + "/passwd", "inside").file(dir + "/other", "o").bytes(),
                new TarBuilder().dir("l/" + dir + "/newdir").hardLink("l/" + dir + "/linked", "l/" + dir + "/passwd").bytes(),
                new TarBuilder().file("l/" + dir + "/.wh.other", "").bytes(),
                new TarBuilder().file("l/" + dir + "/.wh..wh..opq", "").bytes());
        assertTrue(Files.isSymbolicLink(root.resolve("l")));
        assertEquals(List.of(), list(root.resolve(dir)), "the opaque marker emptied the root's own directory");
    }

    @Test
    void aHardLinkThroughASymlinkLinksTheFileInsideTheRoot() throws IOException {
        unpack(new TarBuilder().symlink("l", "../../..").file(dir + "/passwd", "inside").bytes(),
                new TarBuilder().hardLink("copy", "l/" + dir + "/passwd").bytes());
        assertEquals("inside", Files.readString(root.resolve("copy")));
    }

    @Test
    void namesThatClimbOutAreRefusedAndReported() throws IOException {
        List<LayerReport> reports = unpack(new TarBuilder().file("../x", "x").file("a/../../x", "x")
                .hardLink("h", "../../../" + dir + "/passwd").symlink("../s", "/").bytes());
        LayerReport report = reports.getFirst();
        assertEquals(4, report.skippedCount());
        assertTrue(report.skipped().stream().allMatch(s -> s.reason() == LayerReport.Reason.UNSAFE));
        assertEquals(List.of(), list(root));
    }

    @Test
    void anAbsoluteNameLandsInsideTheRoot() throws IOException {
        unpack(new TarBuilder().file("/x", "x").hardLink("/y", "/x").file("//" + dir + "/passwd", "mine").bytes());
        assertEquals("x", Files.readString(root.resolve("y")));
        assertEquals("mine", Files.readString(root.resolve(dir + "/passwd")));
    }

    @Test
    void theRootEntryAsASymlinkOrAFileIsRefused() throws IOException {
        List<LayerReport> reports = unpack(new TarBuilder().symlink("./", "/").symlink(".", "../../..").file(".", "x")
                .file(dir + "/passwd", "inside").bytes());
        assertEquals(3, reports.getFirst().skippedCount());
        assertTrue(Files.isDirectory(root, NOFOLLOW));
        assertEquals("inside", Files.readString(root.resolve(dir + "/passwd")));
    }

    @Test
    void aSymlinkLoopIsReportedNotFollowedForever() throws IOException {
        List<LayerReport> reports = unpack(new TarBuilder().symlink("a", "b").symlink("b", "a").file("a/x", "x").bytes());
        assertEquals(LayerReport.Reason.INCONSISTENT, reports.getFirst().skipped().getFirst().reason());
    }

    @Test
    void aFileIsNeverWrittenThroughASymlinkAtItsOwnName() throws IOException {
        unpack(new TarBuilder().symlink("passwd", "../../../" + dir + "/passwd").file("passwd", "replaced").bytes());
        assertFalse(Files.isSymbolicLink(root.resolve("passwd")));
        assertEquals("replaced", Files.readString(root.resolve("passwd")));
    }

    @Test
    void reportedNamesAndDetailsPrintWithoutTerminalControlCharacters() throws IOException {
        List<LayerReport> reports = unpack(new TarBuilder().file("\u001b[2J/../x", "x")
                .file("p\u001b", "file").file("p\u001b/y", "y").bytes());
        List<LayerReport.Skipped> skipped = reports.getFirst().skipped();
        assertEquals("\u001b[2J/../x", skipped.get(0).name());
        assertEquals("\\u001b[2J/../x", skipped.get(0).printableName());
        assertTrue(skipped.get(1).detail().contains("p\\u001b"), skipped.get(1).detail());
        assertFalse(skipped.get(1).detail().contains("\u001b"));
    }

    @Test
    void aNameWithNulIsRefused() {
        // A tar header cannot carry NUL in a name, but a PAX path record can.
        try {
            EntryName.parse("a\0b", UnpackLimits.defaults());
            throw new AssertionError("NUL accepted");
        } catch (EntryName.Refused expected) {
            assertTrue(expected.getMessage().contains("NUL"));
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
