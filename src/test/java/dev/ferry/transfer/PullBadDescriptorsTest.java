package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.cli.ExitCodes;
import dev.ferry.digest.Digest;
import dev.ferry.json.Json;
import dev.ferry.manifest.ManifestParser;
import dev.ferry.manifest.MediaType;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.TestImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Descriptors and manifests a registry should not send, or sends rarely: what a pull makes of them. */
class PullBadDescriptorsTest {

    static final String REPOSITORY = "apps/odd";
    static final String TAG = "1";

    FakeRegistry registry;

    @TempDir
    Path tmp;
    Path dir;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        dir = tmp.resolve("layout");
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    Cli.Result pull(String... options) {
        String[] args = Stream.concat(Stream.of("pull", "-q"), Stream.concat(Stream.of(options),
                Stream.of(registry.ref(REPOSITORY + ":" + TAG), dir.toString()))).toArray(String[]::new);
        return Cli.run(args);
    }

    /** The image's manifest with the first layer's digest replaced by {@code digest}. */
    static Blob manifestNaming(TestImage image, String digest) {
        String manifest = new String(image.manifest().bytes(), StandardCharsets.UTF_8)
                .replace(image.layers().getFirst().digest().toString(), digest);
        return new Blob(image.manifest().mediaType(), manifest.getBytes(StandardCharsets.UTF_8));
    }

    static MockResponse body(byte[] bytes) {
        return new MockResponse.Builder().body(new Buffer().write(bytes)).build();
    }

    static String sha512(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
    }

    /** Files other than the empty layout a pull creates before it asks for the manifest. */
    static List<Path> filesBesideTheSkeleton(Path tmp, Path layout) throws Exception {
        List<Path> skeleton = Stream.of("oci-layout", "index.json", ".index.json.lock").map(layout::resolve).toList();
        List<Path> others = filesUnder(tmp).stream().filter(f -> !skeleton.contains(f)).toList();
        if (Files.exists(layout.resolve("index.json"))) {
            assertEquals(0, LayoutAssertions.index(layout).path("manifests").size(), "index.json lists nothing");
        }
        return others;
    }

    static List<Path> filesUnder(Path root) throws Exception {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aLayerNamedByASha512DigestIsPulledAndStoredUnderBlobsSha512() throws Exception {
        TestImage image = TestImage.builder().layer(java.util.Map.of("etc/sha512", "named by sha512\n")).build();
        byte[] layer = image.layers().getFirst().bytes();
        String digest = "sha512:" + sha512(layer);
        Blob manifest = manifestNaming(image, digest);
        registry.putBlob(image.config());
        registry.putManifest(REPOSITORY, TAG, manifest);
        registry.on("/v2/" + REPOSITORY + "/blobs/" + digest, body(layer));

        Cli.Result result = pull("--format", "json");

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertArrayEquals(layer, Files.readAllBytes(dir.resolve("blobs/sha512/" + sha512(layer))));
        JsonNode blob = Json.MAPPER.readTree(result.stdout()).get("Blobs").get(0);
        assertEquals(digest, blob.get("Digest").asString());
        assertEquals(image.diffIds().getFirst().toString(), blob.get("DiffID").asString());
        assertEquals(manifest.digest().toString(),
                LayoutAssertions.index(dir).get("manifests").get(0).get("digest").asString());
        assertArrayEquals(manifest.bytes(), Files.readAllBytes(dir.resolve("blobs/sha256/" + manifest.digest().hex())));
    }

    @Test
    void aSha512LayerWhoseBytesDoNotMatchFailsVerification() throws Exception {
        TestImage image = TestImage.builder().layer(java.util.Map.of("etc/sha512", "named by sha512\n")).build();
        byte[] layer = image.layers().getFirst().bytes();
        String digest = "sha512:" + sha512(layer);
        registry.putBlob(image.config());
        registry.putManifest(REPOSITORY, TAG, manifestNaming(image, digest));
        byte[] flipped = layer.clone();
        flipped[flipped.length / 2] ^= 1;
        registry.on("/v2/" + REPOSITORY + "/blobs/" + digest, body(flipped));

        Cli.Result result = pull();

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        assertFalse(Files.exists(dir.resolve("blobs/sha512/" + sha512(layer))));
    }

    static final byte[] GARBAGE = "not a zstd frame: trailing garbage\n".getBytes(StandardCharsets.UTF_8);

    static TestImage zstdImageWithTrailing(byte[] trailing) {
        TestImage plain = TestImage.builder().compression("zstd").layerTar(Layers.randomTar(3, 200 * 1024)).build();
        byte[] frame = plain.layers().getFirst().bytes();
        byte[] padded = Arrays.copyOf(frame, frame.length + trailing.length);
        System.arraycopy(trailing, 0, padded, frame.length, trailing.length);
        return plain.withLayers(List.of(new Blob(plain.layers().getFirst().mediaType(), padded)));
    }

    /**
     * A zstd stream is a sequence of frames: bytes after the last frame that are no frame make the
     * layer undecodable even though its digest covers them (gzip is more lenient: what follows the
     * last member is ignored, as {@code gzip -d} does).
     */
    @Test
    void aZstdLayerWithTrailingGarbageCoveredByItsDigestCannotBeDecompressedAndIsNotKept() throws Exception {
        TestImage image = zstdImageWithTrailing(GARBAGE);
        Blob layer = image.layers().getFirst();
        registry.put(REPOSITORY, TAG, image);

        Cli.Result result = pull();

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("cannot decompress it as zstd"), result.stderr());
        assertTrue(result.stderr().contains(layer.digest().toString()), result.stderr());
        assertFalse(Files.exists(dir.resolve("blobs/sha256/" + layer.digest().hex())));
        assertFalse(Files.exists(dir.resolve("blobs/sha256/" + image.digest().hex())));
        assertEquals(List.of(), filesUnder(dir.resolve(".ferry-partial")), "nothing was kept");
    }

    @Test
    void aZstdSkippableFrameAfterTheLayerIsNoContentAndTheLayerIsStoredByteForByte() throws Exception {
        byte[] skippable = {0x50, 0x2A, 0x4D, 0x18, 4, 0, 0, 0, 'f', 'e', 'r', 'y'};
        TestImage image = zstdImageWithTrailing(skippable);
        Blob layer = image.layers().getFirst();
        registry.put(REPOSITORY, TAG, image);

        Cli.Result result = pull("--format", "json");

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertArrayEquals(layer.bytes(), Files.readAllBytes(dir.resolve("blobs/sha256/" + layer.digest().hex())));
        assertEquals(image.diffIds().getFirst().toString(),
                Json.MAPPER.readTree(result.stdout()).get("Blobs").get(0).get("DiffID").asString());
        LayoutAssertions.assertEveryReferencedBlobVerifies(dir);
    }

    @Test
    void aDigestThatIsAPathIsAnInvalidResponseBeforeAnyFileIsOpened() throws Exception {
        TestImage image = TestImage.builder().layer(java.util.Map.of("etc/x", "x\n")).build();
        String traversal = "sha256:../../../../" + tmp.getFileName() + "-escaped";
        registry.putBlob(image.config());
        registry.putManifest(REPOSITORY, TAG, manifestNaming(image, traversal));
        registry.on("/v2/" + REPOSITORY + "/blobs/" + traversal, body("escaped".getBytes(StandardCharsets.UTF_8)));

        Cli.Result result = pull();

        assertEquals(ExitCodes.INVALID_RESPONSE, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("invalid digest"), result.stderr());
        assertEquals(List.of(), filesBesideTheSkeleton(tmp, dir), "nothing is written, in the layout or beside it");
        assertEquals(0, registry.requests("/v2/" + REPOSITORY + "/blobs/" + traversal).size());
        assertEquals(0, registry.requests("/v2/" + REPOSITORY + "/blobs/" + image.config().digest()).size(),
                "no blob is fetched for a manifest that does not parse");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aManifestDeclaredLargerThan4MiBIsRefusedWithoutReadingIt() throws Exception {
        byte[] huge = new byte[64 * 1024 * 1024];
        Arrays.fill(huge, (byte) ' ');
        // 1 MiB, then nothing for ten minutes: a client that read on would time out (a network
        // failure) or hang past the test's timeout, never refuse the manifest for its size.
        registry.on("/v2/" + REPOSITORY + "/manifests/" + TAG, new MockResponse.Builder()
                .setHeader("Content-Type", MediaType.OCI_MANIFEST.value())
                .body(new Buffer().write(huge)).throttleBody(1024 * 1024, 10, TimeUnit.MINUTES).build());

        Cli.Result result = pull();

        assertEquals(ExitCodes.INVALID_RESPONSE, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains(String.valueOf(ManifestParser.MAX_MANIFEST_BYTES)), result.stderr());
        assertEquals(List.of(), filesBesideTheSkeleton(tmp, dir));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aChunkedManifestLargerThan4MiBIsRefusedAfterTheLimitWithoutReadingTheRest() throws Exception {
        byte[] huge = new byte[64 * 1024 * 1024];
        Arrays.fill(huge, (byte) ' ');
        // No Content-Length: 5 MiB (past the limit, chunk headers included), then nothing for ten
        // minutes: a client that read on would time out or hang past the test's timeout.
        registry.on("/v2/" + REPOSITORY + "/manifests/" + TAG, new MockResponse.Builder()
                .setHeader("Content-Type", MediaType.OCI_MANIFEST.value())
                .chunkedBody(new Buffer().write(huge), 64 * 1024)
                .throttleBody(5 * 1024 * 1024, 10, TimeUnit.MINUTES).build());

        Cli.Result result = pull();

        assertEquals(ExitCodes.INVALID_RESPONSE, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains(String.valueOf(ManifestParser.MAX_MANIFEST_BYTES)), result.stderr());
        assertEquals(List.of(), filesBesideTheSkeleton(tmp, dir));
    }
}
