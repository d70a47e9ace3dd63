package dev.ferry.unpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.json.Json;
import dev.ferry.testing.Cli;
import dev.ferry.testing.DockerDaemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The symlink escapes of {@link EscapeTest} against Docker's engine: layer 1 holds {@code l -> /}
 * or {@code l -> ../../..} beside {@code ETC/passwd} and {@code ETC/shadow}; layer 2 puts
 * {@code l/ETC/passwd} as a file, a directory, a hard link to {@code l/ETC/shadow}, a whiteout
 * ({@code l/ETC/.wh.passwd}) or an opaque marker ({@code l/ETC/.wh..wh..opq}). ETC stands for
 * /etc under a fresh name, so that an escape would show as a new directory instead of touching the
 * host's own /etc/passwd.
 *
 * <p>Both confine every case and apply it: ferry follows the symlink as if the root were "/"
 * ({@link RootResolver}); Docker applies each layer in a chroot of the layer's directory, where
 * the kernel does the same. The two trees are the same node for node. Sentinels at
 * {@code ETC/passwd} where {@code ../../..} leads from each root (ferry's parent of its parent's
 * parent, Docker's data root) keep their content, time and link count, and no {@code /ETC}
 * appears on the host.
 */
@Timeout(600)
class DockerEscapeTest {

    private static final String ETC = "etc-" + Long.toHexString(System.nanoTime());
    private static final String SENTINEL = "root:x:0:0::/root:/bin/sh\n";
    private static final FileTime SENTINEL_TIME = FileTime.fromMillis(1_000_000_000_000L);

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

    static Stream<Arguments> escapes() {
        List<Arguments> all = new ArrayList<>();
        for (String target : List.of("/", "../../..")) {
            all.add(Arguments.of(target, "a file", new TarBuilder().file("l/" + ETC + "/passwd", "mine")));
            all.add(Arguments.of(target, "a directory", new TarBuilder().dir("l/" + ETC + "/passwd")));
            all.add(Arguments.of(target, "a hard link", new TarBuilder().hardLink("l/" + ETC + "/passwd", "l/" + ETC + "/shadow")));
            all.add(Arguments.of(target, "a whiteout", new TarBuilder().file("l/" + ETC + "/.wh.passwd", "")));
            all.add(Arguments.of(target, "an opaque marker", new TarBuilder().file("l/" + ETC + "/.wh..wh..opq", "")));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "a layer-1 symlink to {0} followed by l/ETC/passwd as {1} stays inside both roots")
    @MethodSource("escapes")
    void aSecondLayerWritingThroughASymlinkOutOfTheRootIsConfinedByFerryAndByDocker(String target, String kind,
            TarBuilder second) throws Exception {
        List<byte[]> layers = List.of(new TarBuilder().symlink("l", target).dir(ETC)
                .file(ETC + "/passwd", "inside").file(ETC + "/shadow", "shadow").bytes(), second.bytes());
        Path ferrySentinel = sentinel(tmp);
        Path dockerSentinel = sentinel(daemon.dataRoot());
        Path root = Files.createDirectories(tmp.resolve("a/b")).resolve("rootfs");
        Path archive = DockerAppliedLayers.archive(tmp.resolve("escape.tar"), "ferry/escape:" + Math.abs(kind.hashCode()), layers);

        Cli.Result unpack = Cli.run("unpack", "-q", "--format", "json", "docker-archive:" + archive, root.toString());
        DockerAppliedLayers.Loaded loaded = DockerAppliedLayers.load(daemon, archive, layers);

        assertEquals(0, unpack.exitCode(), unpack.toString());
        for (JsonNode layer : Json.MAPPER.readTree(unpack.stdoutBytes()).get("Layers")) {
            assertEquals(0, layer.get("Skipped").size(), "ferry applies every entry, confined: " + unpack.stdout());
        }
        assertNull(loaded.refusal(), "Docker applies every entry, confined");
        Map<String, TreeSnapshot.Node> ours = TreeSnapshot.of(root).nodes();
        Map<String, TreeSnapshot.Node> theirs = TreeSnapshot.of(loaded.tree()).nodes();
        assertEquals(List.of(), DockerAppliedLayers.differences(theirs, ours));
        assertEquals(expected(kind), inside(ours), "what the second layer did inside the root");
        assertEquals(Path.of(target), Files.readSymbolicLink(root.resolve("l")), "the symlink is stored as written");

        untouched(ferrySentinel);
        untouched(dockerSentinel);
        assertFalse(Files.exists(Path.of("/", ETC), LinkOption.NOFOLLOW_LINKS), "nothing was made in the host's root");
        try (Stream<Path> outside = Files.walk(tmp)) {
            assertEquals(Stream.of("", "a", "a/b", ETC, ETC + "/passwd", "escape.tar").sorted().toList(),
                    outside.filter(p -> !p.startsWith(root)).map(p -> tmp.relativize(p).toString()).sorted().toList(),
                    "nothing else outside ferry's root");
        }
        try (Stream<Path> beside = Files.list(dockerSentinel.getParent())) {
            assertEquals(1, beside.count(), "nothing beside Docker's sentinel");
        }
    }

    /**
     * Where the two differ, inside the root: an opaque marker in the symlink itself. ferry
     * resolves the marker's directory as every other name, through {@code l} to the root, and hides
     * the root's lower entries ({@code l} included), as {@code ./.wh..wh..opq} would; Docker walks
     * {@code l} without following it and hides nothing. The spec does not speak of markers under a
     * symlink; ferry's reading is the one its whiteouts and Docker's own ({@code l/.wh.NAME})
     * share. Nothing outside either root changes.
     */
    @Test
    void anOpaqueMarkerInTheSymlinkItselfHidesTheRootsLowerEntriesInFerryAndNothingInDocker() throws Exception {
        List<byte[]> layers = List.of(new TarBuilder().symlink("l", "/").dir(ETC).file(ETC + "/passwd", "inside")
                .file("top", "t").bytes(), new TarBuilder().file("l/.wh..wh..opq", "").file("new", "n").bytes());
        Path ferrySentinel = sentinel(tmp);
        Path dockerSentinel = sentinel(daemon.dataRoot());
        Path root = Files.createDirectories(tmp.resolve("a/b")).resolve("rootfs");
        Path archive = DockerAppliedLayers.archive(tmp.resolve("escape.tar"), "ferry/opaque-symlink:1", layers);

        Cli.Result unpack = Cli.run("unpack", "-q", "docker-archive:" + archive, root.toString());
        DockerAppliedLayers.Loaded loaded = DockerAppliedLayers.load(daemon, archive, layers);

        assertEquals(0, unpack.exitCode(), unpack.toString());
        assertNull(loaded.refusal());
        assertEquals(List.of("new"), List.copyOf(TreeSnapshot.of(root).nodes().keySet()));
        assertEquals(List.of(ETC, ETC + "/passwd", "l", "new", "top"), List.copyOf(TreeSnapshot.of(loaded.tree()).nodes().keySet()));
        untouched(ferrySentinel);
        untouched(dockerSentinel);
        assertFalse(Files.exists(Path.of("/", ETC), LinkOption.NOFOLLOW_LINKS));
    }

    /** ETC's nodes after the second layer, kind and content: the case applied inside the root. */
    private static Map<String, String> expected(String kind) {
        return switch (kind) {
            case "a file" -> Map.of("passwd", "file mine", "shadow", "file shadow");
            case "a directory" -> Map.of("passwd", "dir", "shadow", "file shadow");
            case "a hard link" -> Map.of("passwd", "file shadow linked to " + ETC + "/passwd",
                    "shadow", "file shadow linked to " + ETC + "/passwd");
            case "a whiteout" -> Map.of("shadow", "file shadow");
            case "an opaque marker" -> Map.of();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static Map<String, String> inside(Map<String, TreeSnapshot.Node> nodes) throws IOException {
        Map<String, String> found = new java.util.TreeMap<>();
        for (Map.Entry<String, TreeSnapshot.Node> e : nodes.entrySet()) {
            if (e.getKey().startsWith(ETC + "/")) {
                TreeSnapshot.Node n = e.getValue();
                String linked = n.linkGroup() != null && n.kind().equals("file") && nodes.entrySet().stream()
                        .filter(o -> !o.getKey().equals(e.getKey()) && n.linkGroup().equals(o.getValue().linkGroup())).findAny()
                        .isPresent() ? " linked to " + n.linkGroup() : "";
                found.put(e.getKey().substring(ETC.length() + 1), n.kind() + (n.kind().equals("file")
                        ? " " + contentOf(n) : "") + linked);
            }
        }
        return found;
    }

    private static String contentOf(TreeSnapshot.Node n) {
        for (String content : List.of("mine", "inside", "shadow")) {
            if (DockerAppliedLayers.sha256(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)).equals(n.sha256())) {
                return content;
            }
        }
        return "?";
    }

    /** {@code dir/ETC/passwd} with known content and time: where {@code ../../..} would lead an escape. */
    private static Path sentinel(Path dir) throws IOException {
        Path sentinel = Files.createDirectories(dir.resolve(ETC)).resolve("passwd");
        Files.writeString(sentinel, SENTINEL);
        Files.setLastModifiedTime(sentinel, SENTINEL_TIME);
        return sentinel;
    }

    private static void untouched(Path sentinel) throws IOException {
        assertEquals(SENTINEL, Files.readString(sentinel));
        assertEquals(SENTINEL_TIME, Files.getLastModifiedTime(sentinel, LinkOption.NOFOLLOW_LINKS));
        assertEquals(1, (int) (Integer) Files.getAttribute(sentinel, "unix:nlink"), "no hard link was made to it");
        assertEquals(0644, ChangesetTest.mode(sentinel));
    }
}
