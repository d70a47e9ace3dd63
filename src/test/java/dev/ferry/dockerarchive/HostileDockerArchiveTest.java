package dev.ferry.dockerarchive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.Cli;
import dev.ferry.testing.CraftedDockerArchive;
import dev.ferry.testing.TestImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crafted docker-archives: each is refused with one line on standard error, and nothing is written
 * outside the destination (a sentinel file beside the archive stays as it was).
 */
@Timeout(120)
class HostileDockerArchiveTest {

    static final String SENTINEL = "sentinel";
    static final TestImage IMAGE = TestImage.builder().docker().compression("none").layer(Map.of("a", "1")).build();
    static final String CONFIG = IMAGE.config().digest().hex() + ".json";
    static final byte[] LAYER = IMAGE.layers().getFirst().bytes();

    @TempDir
    Path tmp;

    record Case(String name, CraftedDockerArchive archive, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static CraftedDockerArchive withLayer(String layerName, CraftedDockerArchive archive) {
        return archive.file(CONFIG, IMAGE.config().bytes())
                .file("manifest.json", CraftedDockerArchive.manifestJson(CONFIG, List.of(layerName), "app:1"));
    }

    static Stream<Case> cases() {
        byte[] garbage = Arrays.copyOf(LAYER, LAYER.length + 512);
        Arrays.fill(garbage, LAYER.length, garbage.length, (byte) 'x');
        TestImage two = TestImage.builder().docker().compression("none").layer(Map.of("a", "1")).layer(Map.of("b", "2"))
                .build();
        return Stream.of(
                new Case("dot-dot name", withLayer("l.tar", new CraftedDockerArchive().file("../" + SENTINEL, "x")
                        .file("l.tar", LAYER)), "leaves the archive"),
                new Case("absolute name", withLayer("l.tar", new CraftedDockerArchive().file("/tmp/" + SENTINEL, "x")
                        .file("l.tar", LAYER)), "absolute"),
                new Case("manifest.json a link out", new CraftedDockerArchive().file(CONFIG, IMAGE.config().bytes())
                        .symlink("manifest.json", "../" + SENTINEL), "leaving the archive"),
                new Case("manifest.json an absolute link", new CraftedDockerArchive().symlink("manifest.json", "/etc/passwd"),
                        "leaving the archive"),
                new Case("layer a link out", withLayer("l/layer.tar", new CraftedDockerArchive()
                        .symlink("l/layer.tar", "../../" + SENTINEL)), "leaving the archive"),
                new Case("hard link", withLayer("l.tar", new CraftedDockerArchive().file("x.tar", LAYER)
                        .hardLink("l.tar", "x.tar")), "hard link"),
                new Case("wrong diff_id", withLayer("l.tar", new CraftedDockerArchive()
                        .file("l.tar", two.layers().get(1).bytes())), "mismatch"),
                new Case("trailing garbage after the tar", withLayer("l.tar", new CraftedDockerArchive()
                        .file("l.tar", garbage)), "mismatch"),
                new Case("count mismatch", new CraftedDockerArchive().file("l.tar", LAYER)
                        .file(two.config().digest().hex() + ".json", two.config().bytes())
                        .file("manifest.json", CraftedDockerArchive.manifestJson(two.config().digest().hex() + ".json",
                                List.of("l.tar"), "app:1")), "lists 1 layers but its config has 2 diff_ids"),
                new Case("missing layer", withLayer("nowhere.tar", new CraftedDockerArchive()), "does not hold"),
                new Case("links in a loop", withLayer("a.tar", new CraftedDockerArchive().symlink("a.tar", "b.tar")
                        .symlink("b.tar", "a.tar")), "a chain of more than"),
                new Case("a RepoTag that is a path", new CraftedDockerArchive().file("l.tar", LAYER)
                        .file(CONFIG, IMAGE.config().bytes())
                        .file("manifest.json", CraftedDockerArchive.manifestJson(CONFIG, List.of("l.tar"), "../../evil:1")),
                        "which is not NAME:TAG"));
    }

    Path sentinel() throws IOException {
        return Files.writeString(tmp.resolve(SENTINEL), "untouched");
    }

    void assertRefused(Path archive, String expected) throws IOException {
        Path sentinel = sentinel();
        Path destination = tmp.resolve("dest");
        Set<String> before = names();
        Cli.Result result = Cli.run("copy", "docker-archive:" + archive, "oci:" + destination + ":x");
        assertTrue(result.exitCode() == 1 || result.exitCode() == 5, result.toString());
        String[] lines = result.stderr().strip().split("\n");
        assertEquals(1, lines.length, result.stderr());
        assertTrue(result.stderr().contains(expected), result.stderr());
        assertEquals("untouched", Files.readString(sentinel));
        Set<String> after = names();
        after.remove("dest");
        assertEquals(before, after, "nothing but the destination appears beside the archive");
        assertTrue(!Files.exists(destination.resolve("index.json"))
                || !Files.readString(destination.resolve("index.json")).contains("\"x\""), "no image named");
    }

    Set<String> names() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(java.util.HashSet::new));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aCraftedArchiveIsRefusedInOneLine(Case c) throws IOException {
        assertRefused(c.archive().write(tmp.resolve("a.tar")), c.expected());
    }

    @Test
    void aManifestJsonOf100MiBIsRefusedBeforeItIsRead() throws IOException {
        Path archive = tmp.resolve("big.tar");
        try (OutputStream out = Files.newOutputStream(archive); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry entry = new TarArchiveEntry("manifest.json");
            entry.setSize(100L << 20);
            tar.putArchiveEntry(entry);
            byte[] block = new byte[1 << 20];
            Arrays.fill(block, (byte) ' ');
            for (int i = 0; i < 100; i++) {
                tar.write(block);
            }
            tar.closeArchiveEntry();
        }
        assertRefused(archive, "more than the 8388608 ferry reads");
    }

    @Test
    void anArchiveTruncatedInsideALayerIsRefused() throws IOException {
        Path whole = CraftedDockerArchive.docker24(TestImage.builder().docker().compression("none")
                .layer(Map.of("big", "y".repeat(100_000))).build(), "app:1").write(tmp.resolve("whole.tar"));
        byte[] bytes = Files.readAllBytes(whole);
        Files.delete(whole);
        Path cut = Files.write(tmp.resolve("a.tar"), Arrays.copyOf(bytes, 50_000));
        assertRefused(cut, "ends inside");
    }
}
