package dev.ferry.unpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.Cli;
import dev.ferry.testing.DockerDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ferry's root filesystem against Docker's own (dockerd 20.10, vfs driver, {@code docker load}):
 * the same docker-archive is loaded by dockerd and unpacked by {@code ferry unpack}, and the trees
 * are compared node by node (kind, mode, owner, link target, content, hard-link group, xattrs)
 * and by directory time. They are the same but where Docker departs from the image-spec's layer
 * rules or leaves a value to chance; there the test asserts ferry's (the spec's) outcome and
 * Docker's as found:
 * <ul>
 * <li>a whiteout after its sibling in the same layer ({@code w}, {@code .wh.w}): Docker removes
 *     the sibling; the spec says whiteouts "MUST only apply to resources in lower/parent layers",
 *     so ferry keeps it;
 * <li>an opaque marker after its siblings where the layer names a directory only by a child
 *     ({@code o/sub/fresh}, then {@code o/.wh..wh..opq}): Docker removes {@code o/sub} with the
 *     child, since it spares only paths with their own entry; ferry keeps what the layer adds;
 * <li>a whiteout in a missing directory ({@code nodir/.wh.x}): Docker creates {@code nodir}; the
 *     spec's whiteout only deletes, so ferry creates nothing;
 * <li>duplicate entries in one layer: Docker refuses the load ("duplicates of file paths not
 *     supported", its tar-split store); the spec says layers "MUST NOT include" them, so either is
 *     defensible; ferry applies them with the last one winning, as tar(1), umoci and containerd;
 * <li>a hard link whose header mode differs from its target's: Docker chmods the shared inode
 *     to the link's header mode, changing the target too; the spec says nothing of it; ferry keeps
 *     the inode as its file entry made it, as tar(1) and umoci do;
 * <li>parent directories the layer has no entry for: Docker makes them mode 0600, ferry 0755
 *     (as umoci and containerd); the spec says nothing of them;
 * <li>a hard link to a symlink made by a lower layer: the vfs driver copies each layer before
 *     applying the next and makes symlinks anew, so the link becomes two inodes; a hard link to a
 *     symlink in the top layer is kept by both;
 * <li>xattrs other than security.capability on a lower layer's file: the vfs driver's copy
 *     drops them (Docker sets them as it applies that layer); xattrs of the top layer are kept;
 * <li>directory times: a directory changed by a later layer that has no entry for it gets the time
 *     of the load in Docker and keeps the time of its last entry in ferry (reproducible); the
 *     root's time is the load's in Docker even where the top layer names {@code ./}; a directory
 *     no layer names has the time it was made.
 * </ul>
 */
@Timeout(600)
class DockerComparisonTest {

    static DockerDaemon daemon;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        daemon = DockerDaemon.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** Modes, owners, xattrs and nodes only root makes, on top of the Debian-like layers. */
    static byte[] metadata() {
        return new TarBuilder().dir("./", 0755, 0, 0)
                .dir("srv", 0755, 0, 0).file("srv/none", "000", 0, 0, 0).dir("srv/locked", 0, 0, 0).file("srv/locked/in", "i")
                .dir("srv/ro", 0555, 0, 0).file("srv/ro/in", "r", 0444, 0, 0).dir("srv/shared", 03777, 0, 100)
                .file("srv/owned", "o", 0640, 1000, 2000).symlink("srv/owned-link", "owned")
                .dir("srv/setgid", 02750, 33, 33)
                .binaryXattr("security.capability", MetadataTest.CAPABILITY).file("srv/ping", "ping", 0755, 0, 0)
                .fileWithXattr("srv/tagged", "t", "user.origin", "top layer")
                .dir("dev").charDevice("dev/null", 1, 3).fifo("dev/initctl").bytes();
    }

    @Test
    void aDebianLikeImageAppliesAsDockerAppliesIt() throws Exception {
        List<byte[]> layers = new ArrayList<>(UmociComparisonTest.debianLike());
        layers.add(metadata());
        Trees trees = assertSameTree("debian", layers, List.of("usr/bin/perl5.36.0"),
                List.of("", "etc", "home/user", "usr/bin", "usr/lib64"));
        assertEquals(0755, trees.ferry().get("usr/bin/perl5.36.0").mode(), "the hard link's inode keeps its file's mode");
        assertEquals(0644, trees.docker().get("usr/bin/perl5.36.0").mode(), "Docker gave it the link header's mode");
        assertEquals(0, trees.ferry().get("srv/none").mode());
        assertEquals(03777, trees.ferry().get("srv/shared").mode());
        assertEquals(2000, trees.ferry().get("srv/owned").gid());
        assertEquals("char", trees.ferry().get("dev/null").kind());
        assertEquals("746f70206c61796572", trees.ferry().get("srv/tagged").xattrs().get("user.origin"));
        assertEquals(MetadataTest.CAPABILITY.length * 2, trees.ferry().get("srv/ping").xattrs().get("security.capability").length());
    }

    /**
     * The changeset cases of {@link UmociComparisonTest#changesets} without its duplicate entry
     * (Docker refuses those: see below), plus a whiteout after its same-layer sibling, a sparse file
     * and a PAX global header.
     */
    static List<byte[]> changesets() {
        byte[] lower = new TarBuilder().dir("d").file("d/old", "o").dir("d/sub").file("d/sub/deep", "x")
                .dir("e").file("e/a", "a").file("e/b", "b").dir("x").file("x/old", "o").file("x/new", "lower")
                .dir("a").file("a/child", "c").file("b", "file").dir("c").file("c/x", "x")
                .file("f", "data").symlink("s", "/f").dir("o").dir("o/sub").file("o/sub/deep", "x")
                .fileWithXattr("xa", "x", "user.lower", "lower layer").bytes();
        byte[] middle = new TarBuilder().globalHeader("comment", "from git archive")
                .dir("d").file("d/.wh..wh..opq", "").file("d/new", "n").dir("d/sub").file("d/sub/fresh", "f")
                .file("e/.wh.a", "").file(".wh.missing", "").file("nodir/.wh.x", "")
                .file("a", "now a file").dir("b").file("b/inside", "i").symlink("c", "a")
                .hardLink("f2", "f").hardLink("s2", "s").file("g", "two")
                .file("w", "same layer").file(".wh.w", "")
                .file("p".repeat(150) + "/" + "q".repeat(150), "pax long name").bytes();
        byte[] upper = new TarBuilder().gnuLongNames().dir("x").file("x/new", "upper").file("x/.wh..wh..opq", "")
                .file("o/sub/fresh", "f").file("o/.wh..wh..opq", "")
                .file("l".repeat(120) + "/" + "m".repeat(120), "gnu long name")
                .symlink("t", "f").hardLink("t2", "t")
                .sparse("holes", 1 << 20, 4096, "data in the middle".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .bytes();
        return List.of(lower, middle, upper);
    }

    @Test
    void theChangesetCasesApplyAsDockerAppliesThem() throws Exception {
        String l = "l".repeat(120);
        String p = "p".repeat(150);
        Trees trees = assertSameTree("changesets", changesets(), List.of(l, "nodir", "o/sub", "o/sub/fresh", p, "s2", "w", "xa"),
                List.of("", "e", l, "nodir", "o", "o/sub", p));
        assertEquals("file", trees.ferry().get("w").kind(), "a whiteout hides only lower layers' entries");
        assertNull(trees.docker().get("w"), "Docker's whiteout removed its own layer's file");
        assertEquals("file", trees.ferry().get("o/sub/fresh").kind(), "an opaque marker hides only lower layers' entries");
        assertNull(trees.docker().get("o/sub"), "Docker's opaque marker removed the directory its layer named only by a child");
        assertEquals("6c6f776572206c61796572", trees.ferry().get("xa").xattrs().get("user.lower"));
        assertEquals(Map.of(), trees.docker().get("xa").xattrs(), "vfs copies only security.capability up");
        assertNull(trees.ferry().get("nodir"), "a whiteout in a missing directory is a no-op");
        assertEquals("dir", trees.docker().get("nodir").kind(), "Docker made the whiteout's directory");
        assertEquals(0755, trees.ferry().get(p).mode());
        assertEquals(0600, trees.docker().get(p).mode());
        assertEquals("s", trees.ferry().get("s2").linkGroup(), "a hard link to a symlink shares its inode");
        assertEquals("t", trees.ferry().get("t2").linkGroup());
        assertEquals("t", trees.docker().get("t2").linkGroup(), "Docker keeps it within one layer");
    }

    @Test
    void duplicateEntriesInOneLayerAreAppliedLastOneWinningWhereDockerRefusesTheLoad() throws Exception {
        List<byte[]> layers = List.of(new TarBuilder().file("g", "one").file("g", "two").dir("d", 0700, 0, 0)
                .dir("d", 0750, 0, 0).bytes());
        Path archive = DockerAppliedLayers.archive(tmp.resolve("duplicates.tar"), "ferry/duplicates:1", layers);
        DockerAppliedLayers.Loaded loaded = DockerAppliedLayers.load(daemon, archive, layers);
        Path ferry = tmp.resolve("duplicates-ferry");
        Cli.Result unpack = Cli.run("unpack", "-q", "docker-archive:" + archive, ferry.toString());

        assertTrue(String.valueOf(loaded.refusal()).contains("duplicates of file paths not supported"), loaded.refusal());
        assertEquals(0, unpack.exitCode(), unpack.toString());
        assertEquals("two", Files.readString(ferry.resolve("g")));
        assertEquals(0750, ChangesetTest.mode(ferry.resolve("d")));
    }

    /** ferry's nodes and Docker's, by path. */
    record Trees(Map<String, TreeSnapshot.Node> ferry, Map<String, TreeSnapshot.Node> docker) {
    }

    /**
     * Loads the layers into dockerd and unpacks the same archive with ferry; the nodes and the
     * directory times must be the same but for the paths listed.
     */
    private Trees assertSameTree(String name, List<byte[]> layers, List<String> differingNodes,
            List<String> differingTimes) throws Exception {
        Path archive = DockerAppliedLayers.archive(tmp.resolve(name + ".tar"), "ferry/" + name + ":1", layers);
        DockerAppliedLayers.Loaded loaded = DockerAppliedLayers.load(daemon, archive, layers);
        assertNull(loaded.refusal(), "docker loads the archive");
        Path ferry = tmp.resolve(name + "-ferry");
        Cli.Result unpack = Cli.run("unpack", "-q", "docker-archive:" + archive, ferry.toString());
        assertEquals(0, unpack.exitCode(), unpack.toString());

        Map<String, TreeSnapshot.Node> theirs = TreeSnapshot.of(loaded.tree()).nodes();
        Map<String, TreeSnapshot.Node> ours = TreeSnapshot.of(ferry).nodes();
        Map<String, Long> theirTimes = DockerAppliedLayers.directoryTimes(loaded.tree());
        Map<String, Long> ourTimes = DockerAppliedLayers.directoryTimes(ferry);
        String all = String.join("\n", DockerAppliedLayers.differences(theirs, ours)) + "\ndirectory times:\n"
                + String.join("\n", DockerAppliedLayers.differences(theirTimes, ourTimes));
        assertEquals(differingNodes, DockerAppliedLayers.differingPaths(theirs, ours), all);
        assertEquals(differingTimes, DockerAppliedLayers.differingPaths(theirTimes, ourTimes), all);
        return new Trees(ours, theirs);
    }
}
