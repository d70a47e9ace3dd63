package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.json.Json;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.TestImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code ferry unpack}: an image's layers applied in order to a new directory, from a registry or
 * a layout, with nothing left behind when a layer does not verify.
 */
@org.junit.jupiter.api.Timeout(60)
class UnpackCommandTest {

    static final TestImage IMAGE = TestImage.builder()
            .layer(Map.of("etc/hello", "hello\n", "etc/keep", "keep\n"))
            .layer(Map.of("etc/.wh.hello", "", "usr/bin/app", "v2\n"))
            .build();

    @TempDir
    Path tmp;

    FakeRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put("apps/web", "1", IMAGE);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    void assertExpectedTree(Path dir) throws Exception {
        assertEquals("keep\n", Files.readString(dir.resolve("etc/keep")));
        assertEquals("v2\n", Files.readString(dir.resolve("usr/bin/app")));
        assertFalse(Files.exists(dir.resolve("etc/hello")), "the second layer's whiteout removed etc/hello");
        assertFalse(Files.exists(dir.resolve("etc/.wh.hello")), "a whiteout is never written");
    }

    /** Only the test's own directories: no target and no .NAME.ferry-* work directory. */
    void assertNothingLeft(String... expected) throws Exception {
        try (Stream<Path> children = Files.list(tmp)) {
            assertEquals(List.of(expected), children.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void anImageFromARegistryIsUnpackedWithItsLayersInOrder() throws Exception {
        Path dir = tmp.resolve("rootfs");

        Cli.Result result = Cli.run("unpack", registry.ref("apps/web:1"), dir.toString());

        assertEquals(0, result.exitCode(), result.toString());
        assertExpectedTree(dir);
        assertTrue(result.stderr().contains("unpacked " + registry.ref("apps/web:1") + " (" + IMAGE.digest()
                + ", 2 layers)"), result.stderr());
        assertNothingLeft("rootfs");
    }

    @Test
    void anImageOfALayoutIsUnpackedToTheSameTree() throws Exception {
        Path layout = tmp.resolve("layout");
        assertEquals(0, Cli.run("pull", "-q", registry.ref("apps/web:1"), layout.toString()).exitCode());
        Path dir = tmp.resolve("rootfs");

        Cli.Result result = Cli.run("unpack", "-q", "oci:" + layout + ":1", dir.toString());

        assertEquals(0, result.exitCode(), result.toString());
        assertExpectedTree(dir);
        assertEquals("", result.stderr());
    }

    @Test
    void aWorkDirectoryLeftByAKilledRunIsNeitherReusedNorInTheWay() throws Exception {
        Path stale = Files.createDirectories(tmp.resolve(".rootfs.ferry-1234/etc"));
        Files.writeString(stale.resolve("planted"), "from a killed run");
        Path dir = tmp.resolve("rootfs");

        Cli.Result result = Cli.run("unpack", "-q", registry.ref("apps/web:1"), dir.toString());

        assertEquals(0, result.exitCode(), result.toString());
        assertExpectedTree(dir);
        assertFalse(Files.exists(dir.resolve("etc/planted")));
        assertNothingLeft(".rootfs.ferry-1234", "rootfs");
    }

    @Test
    void anImageOfADockerArchiveIsUnpackedToTheSameTree() throws Exception {
        Path archive = tmp.resolve("saved.tar");
        Cli.Result saved = Cli.run("save", "-q", "-o", archive.toString(), registry.ref("apps/web:1"));
        assertEquals(0, saved.exitCode(), saved.toString());
        Path dir = tmp.resolve("rootfs");

        Cli.Result result = Cli.run("unpack", "-q", "docker-archive:" + archive, dir.toString());

        assertEquals(0, result.exitCode(), result.toString());
        assertExpectedTree(dir);
    }

    @Test
    void anExistingEmptyDirectoryIsFilled() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("rootfs"));

        Cli.Result result = Cli.run("unpack", "-q", registry.ref("apps/web:1"), dir.toString());

        assertEquals(0, result.exitCode(), result.toString());
        assertExpectedTree(dir);
    }

    @Test
    void aDirectoryThatHoldsAnythingIsRefusedAndLeftAlone() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("rootfs"));
        Files.writeString(dir.resolve("mine"), "mine");

        Cli.Result result = Cli.run("unpack", registry.ref("apps/web:1"), dir.toString());

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("exists and is not empty"), result.stderr());
        assertEquals("mine", Files.readString(dir.resolve("mine")));
        assertEquals(1, Files.list(dir).count());
        assertEquals(0, registry.count("GET", "/v2/.*"), "nothing was fetched");
    }

    @Test
    void aLayerWhoseDiffIdIsWrongFailsWithExit5AndLeavesNoDirectory() throws Exception {
        TestImage other = TestImage.builder().layer(Map.of("a", "a")).layer(Map.of("b", "b")).build();
        registry.put("apps/web", "bad", IMAGE.withConfig(other));

        assertFailsWith5("bad", "diff_id mismatch");
    }

    @Test
    void aTruncatedLayerFailsWithExit5AndLeavesNoDirectory() throws Exception {
        byte[] tar = Layers.tar(Map.of("big", "x".repeat(4000)));
        registry.put("apps/web", "cut", TestImage.builder().layerTar(Arrays.copyOf(tar, 1024)).build());

        assertFailsWith5("cut", "is not a readable tar");
    }

    @Test
    void dataAfterTheTarsEndFailsWithExit5AndLeavesNoDirectory() throws Exception {
        byte[] tar = Layers.tar(Map.of("f", "f"));
        byte[] withGarbage = Arrays.copyOf(tar, tar.length + 7);
        Arrays.fill(withGarbage, tar.length, withGarbage.length, (byte) 'G');
        // The config's diff_id is the hash of every byte, garbage included: only the tar's end shows it.
        registry.put("apps/web", "garbage", TestImage.builder().layerTar(withGarbage).build());

        assertFailsWith5("garbage", "holds data after the tar's end");
    }

    @Test
    void aLayerWhoseBytesAreNotItsDigestFailsWithExit5AndLeavesNoDirectory() throws Exception {
        TestImage swapped = IMAGE.withLayers(List.of(IMAGE.layers().get(0), IMAGE.layers().get(0)));
        registry.put("apps/web", "swapped", swapped);
        registry.putBlob("apps/web", new Blob(IMAGE.layers().get(0).mediaType(), IMAGE.layers().get(1).bytes()));

        Cli.Result result = Cli.run("unpack", registry.ref("apps/web:swapped"), tmp.resolve("rootfs").toString());

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        assertNothingLeft();
    }

    void assertFailsWith5(String tag, String message) throws Exception {
        Path dir = tmp.resolve("rootfs");

        Cli.Result result = Cli.run("unpack", registry.ref("apps/web:" + tag), dir.toString());

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains(message), result.stderr());
        assertNothingLeft();
        Cli.Result rerun = Cli.run("unpack", "-q", registry.ref("apps/web:1"), dir.toString());
        assertEquals(0, rerun.exitCode(), "a rerun works: " + rerun);
        assertExpectedTree(dir);
    }

    @Test
    void jsonListsEachLayerWithWhatItAppliedAndWhatItSkippedAndWhy() throws Exception {
        registry.put("apps/web", "dev", TestImage.builder().layer(Map.of("etc/a", "a"))
                .layerTar(deviceNodeTar("dev/null\u001b[31m")).build());

        Cli.Result result = Cli.run("unpack", "--rootless", "--format", "json", registry.ref("apps/web:dev"),
                tmp.resolve("rootfs").toString());

        assertEquals(0, result.exitCode(), result.toString());
        JsonNode report = Json.MAPPER.readTree(result.stdout());
        assertEquals(List.of("Reference", "Digest", "Directory", "Rootless", "Layers"), fieldNames(report));
        assertTrue(report.get("Rootless").asBoolean());
        JsonNode layers = report.get("Layers");
        assertEquals(2, layers.size());
        assertEquals(List.of("Digest", "Applied", "Skipped", "Unlisted"), fieldNames(layers.get(0)));
        assertEquals(0, layers.get(0).get("Skipped").size());
        JsonNode skipped = layers.get(1).get("Skipped").get(0);
        assertEquals("dev/null\\u001b[31m", skipped.get("Name").asString(), "the name is escaped");
        assertEquals("UNSUPPORTED", skipped.get("Reason").asString());
        assertFalse(result.stdout().contains("\u001b"), "no raw escape reaches the terminal");
        assertTrue(result.stderr().contains("1 entries skipped"), result.stderr());
    }

    static List<String> fieldNames(JsonNode node) {
        return node.propertyNames().stream().toList();
    }

    static byte[] deviceNodeTar(String name) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry device = new TarArchiveEntry(name, TarConstants.LF_CHR);
            device.setDevMajor(1);
            device.setDevMinor(3);
            tar.putArchiveEntry(device);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void aDirectoryThatIsAFileIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("rootfs"), "x");

        Cli.Result result = Cli.run("unpack", registry.ref("apps/web:1"), file.toString());

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
    }
}
