package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Digest;
import dev.ferry.json.Json;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code ferry verify}: an image read where it is (a registry, a layout, an archive) and checked
 * for every digest, size and diff_id, with nothing written.
 */
@org.junit.jupiter.api.Timeout(60)
class VerifyCommandTest {

    final TestImage image = TestImage.builder().layerTar(Layers.randomTar(1, 64 * 1024))
            .layer(Map.of("etc/second", "second\n")).layerTar(Layers.randomTar(3, 32 * 1024)).build();

    @TempDir
    Path tmp;

    FakeRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put("apps/web", "1", image);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    Path layout() {
        Path dir = tmp.resolve("layout");
        Cli.Result pulled = Cli.run("pull", "-q", registry.ref("apps/web:1"), dir.toString());
        assertEquals(0, pulled.exitCode(), pulled.toString());
        return dir;
    }

    static void flipByte(Path file, int at) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        bytes[at] ^= 0x01;
        Files.write(file, bytes);
    }

    Path blobFile(Path layout, Blob blob) {
        return layout.resolve("blobs/sha256/" + blob.digest().hex());
    }

    @Test
    void aCleanLayoutVerifiesAndSaysWhatItRead() {
        Path layout = layout();

        Cli.Result result = Cli.run("verify", "oci:" + layout + ":1");

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("verified oci:" + layout + ":1: " + image.digest() + ", 4 blobs"),
                result.stderr());
    }

    @Test
    void aLayoutWithOneFlippedByteInALayerFailsWithExitFiveNamingThatLayer() throws Exception {
        Path layout = layout();
        Blob layer = image.layers().get(2);
        flipByte(blobFile(layout, layer), layer.bytes().length / 2);

        Cli.Result result = Cli.run("verify", "-q", "oci:" + layout);

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        assertEquals(1, result.stderr().strip().lines().count(), result.stderr());
        assertTrue(result.stderr().contains(layer.digest().toString()), result.stderr());
        assertTrue(Files.exists(blobFile(layout, layer)), "verify changes nothing");
    }

    @Test
    void jsonListsEveryBadBlobNotOnlyTheFirst() throws Exception {
        Path layout = layout();
        Blob first = image.layers().get(0);
        Blob third = image.layers().get(2);
        flipByte(blobFile(layout, first), 100);
        flipByte(blobFile(layout, third), 100);

        Cli.Result result = Cli.run("verify", "-q", "--format", "json", "oci:" + layout + ":1");

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        JsonNode report = Json.MAPPER.readTree(result.stdout());
        assertFalse(report.get("Verified").asBoolean());
        List<String> subjects = new ArrayList<>();
        report.get("Failures").forEach(f -> subjects.add(f.get("Subject").asString()));
        assertEquals(2, subjects.size(), subjects.toString());
        assertTrue(subjects.stream().anyMatch(s -> s.contains(first.digest().toString())), subjects.toString());
        assertTrue(subjects.stream().anyMatch(s -> s.contains(third.digest().toString())), subjects.toString());
        assertEquals(1, result.stderr().strip().lines().count(), "the first is still the one line: " + result.stderr());
    }

    @Test
    void aRegistryImageIsStreamedAndCheckedWithoutWritingAnything() throws Exception {
        Cli.Result result = Cli.run("verify", "--format", "json", registry.ref("apps/web:1"));

        assertEquals(0, result.exitCode(), result.toString());
        JsonNode report = Json.MAPPER.readTree(result.stdout());
        assertTrue(report.get("Verified").asBoolean());
        assertEquals(image.digest().toString(), report.get("Digest").asString());
        assertEquals(4, report.get("Blobs").asInt(), "three layers and the config");
        for (Blob layer : image.layers()) {
            assertEquals(1, registry.count("/v2/apps/web/blobs/" + layer.digest()), "each layer is read once");
        }
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count(), "nothing is written");
        }
    }

    @Test
    void aRegistryServingOtherBytesForALayerFailsWithExitFive() {
        Blob layer = image.layers().get(1);
        byte[] other = layer.bytes().clone();
        other[other.length / 2] ^= 0x01;
        registry.on("/v2/apps/web/blobs/" + layer.digest(), r -> new MockResponse.Builder()
                .body(new Buffer().write(other)).build());

        Cli.Result result = Cli.run("verify", "-q", registry.ref("apps/web:1"));

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains(layer.digest().toString()), result.stderr());
    }

    @Test
    void aLayerWhoseDiffIdIsNotTheConfigsFailsThoughItsDigestMatches() throws Exception {
        TestImage lying = image.withConfig(TestImage.builder().layer(Map.of("a", "1\n")).layer(Map.of("b", "2\n"))
                .layer(Map.of("c", "3\n")).build());
        registry.put("apps/lying", "1", lying);

        Cli.Result result = Cli.run("verify", "-q", registry.ref("apps/lying:1"));

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("diff_id"), result.stderr());
    }

    @Test
    void anArchiveIsVerifiedAndAFlippedByteInItIsFoundNamingTheArchive() throws Exception {
        Path archive = tmp.resolve("web.tar");
        Cli.Result packed = Cli.run("copy", "-q", registry.ref("apps/web:1"), "oci-archive:" + archive + ":1");
        assertEquals(0, packed.exitCode(), packed.toString());

        Cli.Result clean = Cli.run("verify", "-q", "oci-archive:" + archive);
        assertEquals(0, clean.exitCode(), clean.toString());

        byte[] tar = Files.readAllBytes(archive);
        byte[] layer = image.layers().getFirst().bytes();
        int at = indexOf(tar, layer);
        assertTrue(at > 0, "the layer is stored as it is in the tar");
        flipByte(archive, at + layer.length / 2);

        Cli.Result bad = Cli.run("verify", "-q", "oci-archive:" + archive + ":1");
        assertEquals(ExitCodes.VERIFICATION, bad.exitCode(), bad.toString());
        assertTrue(bad.stderr().contains(image.layers().getFirst().digest().toString()), bad.stderr());
        assertFalse(bad.stderr().contains(".ferry-"), "the work directory is not named: " + bad.stderr());
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(archive), files.toList(), "no work directory is left");
        }
    }

    @Test
    void allChecksEveryPlatformOfAnIndexAndABadOneIsFoundThoughTheHostsIsSound() throws Exception {
        TestImage amd64 = TestImage.builder().platform("linux", "amd64", null).build();
        TestImage arm64 = TestImage.builder().platform("linux", "arm64", null).build();
        Blob index = TestImage.index(dev.ferry.manifest.MediaType.OCI_INDEX,
                new java.util.LinkedHashMap<>(Map.of("linux/amd64", amd64, "linux/arm64", arm64)));
        registry.put("apps/multi", "amd64", amd64).put("apps/multi", "arm64", arm64)
                .putManifest("apps/multi", "1", index);
        Blob armLayer = arm64.layers().getFirst();
        byte[] other = armLayer.bytes().clone();
        other[other.length - 1] ^= 0x01;
        registry.on("/v2/apps/multi/blobs/" + armLayer.digest(), r -> new MockResponse.Builder()
                .body(new Buffer().write(other)).build());

        Cli.Result one = Cli.run("verify", "-q", "--override-arch", "amd64", registry.ref("apps/multi:1"));
        Cli.Result all = Cli.run("verify", "-q", "--all", "--format", "json", registry.ref("apps/multi:1"));

        assertEquals(0, one.exitCode(), one.toString());
        assertEquals(ExitCodes.VERIFICATION, all.exitCode(), all.toString());
        JsonNode report = Json.MAPPER.readTree(all.stdout());
        assertEquals(Digest.sha256(index.bytes()).toString(), report.get("Digest").asString());
        assertEquals(1, report.get("Failures").size(), all.stdout());
        assertTrue(report.get("Failures").get(0).get("Subject").asString().contains(armLayer.digest().toString()));
    }

    @Test
    void aSourceThatIsNoLocationIsAUsageError() {
        Cli.Result result = Cli.run("verify", "tarball:x.tar");

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("unsupported transport 'tarball'"), result.stderr());
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
