package dev.ferry.unpack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.testing.External;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ferry's root filesystem against umoci's (0.4.7, `umoci raw unpack`) for the same image: every
 * path with its kind, mode, owner, link target, content digest, hard-link group and xattrs.
 */
class UmociComparisonTest {

    @TempDir
    Path tmp;

    /** A small Debian-like image: merged-/usr symlinks, setuid tools, owners, hard links, later edits. */
    static List<byte[]> debianLike() {
        byte[] base = new TarBuilder().dir("./")
                .dir("usr").dir("usr/bin").dir("usr/sbin").dir("usr/lib").dir("usr/lib64").dir("usr/lib/x86_64-linux-gnu")
                .symlink("bin", "usr/bin").symlink("sbin", "usr/sbin").symlink("lib", "usr/lib").symlink("lib64", "usr/lib64")
                .file("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "ld.so", 0755, 0, 0)
                .symlink("usr/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
                .file("usr/bin/dash", "dash", 0755, 0, 0).symlink("usr/bin/sh", "dash")
                .file("usr/bin/passwd", "passwd", 04755, 0, 0).file("usr/bin/wall", "wall", 02755, 0, 5)
                .file("usr/bin/perl", "perl 5.36", 0755, 0, 0).hardLink("usr/bin/perl5.36.0", "usr/bin/perl")
                .dir("etc").file("etc/passwd", "root:x:0:0\n").file("etc/shadow", "root:*:1\n", 0640, 0, 42)
                .dir("tmp", 01777, 0, 0).dir("root", 0700, 0, 0).dir("var").dir("var/mail", 02775, 0, 8)
                .dir("var/cache").dir("var/cache/apt").file("var/cache/apt/pkgcache.bin", "cache")
                .dir("home").dir("home/user", 0755, 1000, 1000).file("home/user/.bashrc", "alias", 0644, 1000, 1000)
                .fifo("run-initctl").bytes();
        byte[] update = new TarBuilder()
                .file("lib64/libnew.so.1", "through the lib64 symlink", 0644, 0, 0)
                .file("etc/.wh.shadow", "").file("etc/passwd", "root:x:0:0\nuser:x:1000:1000\n")
                .dir("var/cache/apt").file("var/cache/apt/.wh..wh..opq", "").file("var/cache/apt/archives.lock", "")
                .file("usr/bin/perl", "perl 5.38", 0755, 0, 0).bytes();
        byte[] user = new TarBuilder().file("home/user/.wh..bashrc", "")
                .dir("home/user/.config", 0700, 1000, 1000).file("home/user/.config/app.toml", "x", 0600, 1000, 1000).bytes();
        return List.of(base, update, user);
    }

    /** What only root may make: a file capability and a device node; a user xattr and a FIFO besides. */
    static byte[] privileged() {
        return new TarBuilder().binaryXattr("security.capability", MetadataTest.CAPABILITY)
                .file("usr/bin/ping", "ping", 0755, 0, 0).fileWithXattr("etc/tagged", "t", "user.origin", "layer4")
                .dir("dev").charDevice("dev/null", 1, 3).fifo("dev/initctl").bytes();
    }

    /**
     * Every changeset case of {@link ChangesetTest} in one three-layer image. umoci 0.4.7 stops at a
     * PAX global header ("unknown typeflag 'g'") where tar readers apply it and go on, as ferry
     * does ({@link ChangesetTest}); so the image for umoci leaves it out.
     */
    static List<byte[]> changesets(boolean globalHeader) {
        byte[] lower = new TarBuilder().dir("d").file("d/old", "o").dir("d/sub").file("d/sub/deep", "x")
                .dir("e").file("e/a", "a").file("e/b", "b").dir("x").file("x/old", "o").file("x/new", "lower")
                .dir("a").file("a/child", "c").file("b", "file").dir("c").file("c/x", "x")
                .file("f", "data").symlink("s", "/f").bytes();
        TarBuilder head = globalHeader ? new TarBuilder().globalHeader("comment", "from git archive") : new TarBuilder();
        byte[] middle = head.dir("d").file("d/.wh..wh..opq", "").file("d/new", "n").dir("d/sub").file("d/sub/fresh", "f")
                .file("e/.wh.a", "").file(".wh.missing", "").file("nodir/.wh.x", "")
                .file("a", "now a file").dir("b").file("b/inside", "i").symlink("c", "a")
                .hardLink("f2", "f").hardLink("s2", "s").file("g", "one").file("g", "two")
                .file("p".repeat(150) + "/" + "q".repeat(150), "pax long name").bytes();
        byte[] upper = new TarBuilder().gnuLongNames().dir("x").file("x/new", "upper").file("x/.wh..wh..opq", "")
                .file("l".repeat(120) + "/" + "m".repeat(120), "gnu long name").bytes();
        return List.of(lower, middle, upper);
    }

    @Test
    void aDebianLikeImageUnpacksAsUmociUnpacksItAsRoot() throws Exception {
        List<byte[]> layers = new ArrayList<>(debianLike());
        layers.add(privileged());
        Map<String, TreeSnapshot.Node> tree = assertSameTree(layers, false, List.of());
        assertEquals("char", tree.get("dev/null").kind());
        assertEquals(MetadataTest.CAPABILITY.length * 2, tree.get("usr/bin/ping").xattrs().get("security.capability").length());
        assertEquals(1000, tree.get("home/user/.config").uid());
        assertEquals("through the lib64 symlink".length() > 0, tree.containsKey("usr/lib64/libnew.so.1"));
    }

    @Test
    void aDebianLikeImageUnpacksAsUmociUnpacksItRootless() throws Exception {
        Map<String, TreeSnapshot.Node> tree = assertSameTree(debianLike(), true, List.of());
        assertEquals(0, tree.get("home/user/.config").uid());
        assertEquals("08e80710e807", tree.get("home/user/.config").xattrs().get(RootlessOwner.XATTR));
    }

    @Test
    void theChangesetCasesUnpackAsUmociUnpacksThem() throws Exception {
        assertSameTree(changesets(false), false, List.of());
        assertSameTree(changesets(false), true, List.of());
    }

    /**
     * Where ferry differs from umoci on purpose, rootless: umoci puts an empty mode-000 file where
     * a device node should be (a later repack would put a regular file into the image) and, run
     * by root with --rootless, still sets security.capability; ferry skips both and reports them.
     */
    @Test
    void rootlessFerrySkipsDeviceNodesAndCapabilitiesWhereUmociFakesOrSetsThem() throws Exception {
        List<byte[]> layers = new ArrayList<>(debianLike());
        layers.add(privileged());
        assertSameTree(layers, true, List.of("dev/null", "usr/bin/ping"));
    }

    /** Unpacks with both and compares; returns ferry's tree for further checks. */
    private Map<String, TreeSnapshot.Node> assertSameTree(List<byte[]> layers, boolean rootless, List<String> differing)
            throws Exception {
        String run = (rootless ? "rootless-" : "root-") + System.nanoTime();
        Path image = tmp.resolve(run + "-image");
        OciImageFixture.write(image, "test", layers);
        Path umoci = tmp.resolve(run + "-umoci");
        List<String> command = new ArrayList<>(List.of("umoci", "raw", "unpack"));
        if (rootless) {
            command.add("--rootless");
        }
        command.addAll(List.of("--image", image + ":test", umoci.toString()));
        External.check(command.toArray(String[]::new));

        Path ferry = Files.createDirectory(tmp.resolve(run + "-ferry"));
        LayerApplier applier = new LayerApplier(ferry, rootless ? UnpackOptions.rootlessDefaults() : UnpackOptions.defaults());
        for (int i = 0; i < layers.size(); i++) {
            LayerReport report = applier.apply(new ByteArrayInputStream(layers.get(i)), "layer" + i);
            assertEquals(differing.isEmpty() ? 0 : report.skippedCount(), report.skippedCount(), "layer " + i);
        }
        applier.finish();

        Map<String, TreeSnapshot.Node> theirs = TreeSnapshot.of(umoci).nodes();
        Map<String, TreeSnapshot.Node> ours = TreeSnapshot.of(ferry).nodes();
        List<String> differences = new ArrayList<>();
        List<String> differingPaths = new ArrayList<>();
        for (String path : new TreeSet<>(union(theirs.keySet(), ours.keySet()))) {
            if (!java.util.Objects.equals(theirs.get(path), ours.get(path))) {
                differences.add(path + "\n  umoci: " + theirs.get(path) + "\n  ferry: " + ours.get(path));
                differingPaths.add(path);
            }
        }
        assertEquals(differing, differingPaths, String.join("\n", differences));
        assertEquals(true, ours.size() > 20, "the trees hold the image: " + ours.keySet());
        return ours;
    }

    private static TreeSet<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
