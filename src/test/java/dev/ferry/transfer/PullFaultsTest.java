package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.cli.ExitCodes;
import dev.ferry.digest.Digest;
import dev.ferry.json.Json;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code ferry pull} against a registry that misbehaves in ways a real registry cannot be made to:
 * corrupt, short, long or undecompressable layers, configs that disagree with their manifests,
 * redirects to storage elsewhere, and a failure while another layer is still arriving. A failed
 * pull exits with its code, says what went wrong in one line naming the blob, and leaves the
 * layout without anything half-written.
 */
class PullFaultsTest {

    static final String REPOSITORY = "apps/web";
    static final String TAG = "1.0";

    FakeRegistry registry;
    FakeRegistry storage;

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
        if (storage != null) {
            storage.close();
        }
        registry.close();
    }

    // ---- helpers ----

    static TestImage image(String compression, byte[]... tars) {
        TestImage.Builder builder = TestImage.builder().compression(compression);
        for (byte[] tar : tars) {
            builder.layerTar(tar);
        }
        return builder.build();
    }

    /** A layer big enough that it takes several reads, and that its compressed form has many blocks. */
    static byte[] bigTar(long seed) {
        return Layers.randomTar(seed, 300 * 1024);
    }

    static byte[] smallTar(String name) {
        return Layers.tar(Map.of("etc/" + name, "content of " + name + "\n"));
    }

    String blobPath(Blob blob) {
        return "/v2/" + REPOSITORY + "/blobs/" + blob.digest();
    }

    static MockResponse body(byte[] bytes) {
        return new MockResponse.Builder().body(new Buffer().write(bytes)).build();
    }

    /** Serves these bytes for the blob instead of its own. */
    void serve(Blob blob, byte[] bytes) {
        registry.on(blobPath(blob), body(bytes));
    }

    static byte[] flipMiddleByte(byte[] bytes) {
        byte[] copy = bytes.clone();
        copy[copy.length / 2] ^= 0x01;
        return copy;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    Cli.Result pull(String... options) {
        List<String> args = new ArrayList<>(List.of("pull", "-q"));
        args.addAll(List.of(options));
        args.add(registry.ref(REPOSITORY + ":" + TAG));
        args.add(dir.toString());
        return Cli.run(args.toArray(String[]::new));
    }

    static JsonNode json(Cli.Result result) {
        return Json.MAPPER.readTree(result.stdout());
    }

    /** The exit code, one line on standard error naming the subject, no stack trace, nothing on standard out. */
    static void assertFailsCleanly(int exitCode, Digest named, Cli.Result result) {
        assertEquals(exitCode, result.exitCode(), result.toString());
        assertEquals(1, result.stderr().lines().count(), "one line on stderr:\n" + result.stderr());
        assertTrue(result.stderr().startsWith("ferry: "), result.stderr());
        assertFalse(result.stderr().contains("\tat "), "no stack trace without --debug:\n" + result.stderr());
        assertTrue(result.stderr().contains(named.toString()), "the message names " + named + ":\n" + result.stderr());
        assertEquals("", result.stdout());
    }

    /**
     * No blob under the bad digest, no partial file but what a later pull may resume from (the
     * first bytes of a layer, under the layer's digest), and index.json does not point at the image;
     * what the layout does reference still verifies.
     */
    void assertNothingHalfWritten(TestImage image, Digest bad) throws Exception {
        assertFalse(Files.exists(dir.resolve("blobs/sha256/" + bad.hex())), "no blob is stored under " + bad);
        assertFalse(Files.exists(dir.resolve("blobs/sha256/" + image.digest().hex())), "the manifest is not stored");
        assertOnlyResumablePartials(image);
        for (JsonNode entry : LayoutAssertions.index(dir).path("manifests")) {
            assertFalse(entry.path("digest").asString("").equals(image.digest().toString()),
                    "index.json must not point at the image that failed");
        }
        LayoutAssertions.assertEveryReferencedBlobVerifies(dir);
        for (String name : LayoutAssertions.blobFiles(dir)) {
            assertEquals(name, LayoutAssertions.hash(dir.resolve("blobs/sha256/" + name)).hex(),
                    "a blob under a digest name holds that digest's content");
        }
    }

    /** Every partial file left is named after a layer's digest and holds the first bytes of that layer. */
    void assertOnlyResumablePartials(TestImage image) throws Exception {
        for (Path partial : partialFiles()) {
            String name = partial.getFileName().toString();
            Blob layer = image.layers().stream().filter(l -> name.equals("sha256-" + l.digest().hex())).findFirst()
                    .orElseThrow(() -> new AssertionError("a partial file that is no layer's resume point: " + name));
            byte[] held = Files.readAllBytes(partial);
            assertTrue(held.length <= layer.bytes().length
                    && Arrays.equals(held, Arrays.copyOf(layer.bytes(), held.length)),
                    name + " holds the first " + held.length + " bytes of its layer");
        }
    }

    List<Path> partialFiles() throws Exception {
        Path partial = dir.resolve(".ferry-partial");
        if (!Files.exists(partial)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(partial)) {
            return files.toList();
        }
    }

    void assertPulled(TestImage image) throws Exception {
        JsonNode entries = LayoutAssertions.index(dir).path("manifests");
        assertTrue(entries.valueStream().anyMatch(e -> e.path("digest").asString("").equals(image.digest().toString())),
                "index.json points at the image: " + entries);
        var reached = LayoutAssertions.assertEveryReferencedBlobVerifies(dir);
        assertTrue(reached.contains(image.config().digest()));
        image.layers().forEach(l -> assertTrue(reached.contains(l.digest()), "layer " + l.digest() + " stored"));
        assertEquals(List.of(), partialFiles(), "no partial file is left");
    }

    // ---- distribution digest ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gzip", "zstd", "none"})
    void aLayerOfTheRightSizeWithAByteFlippedInTheMiddleFailsVerificationAndKeepsNothing(String compression)
            throws Exception {
        TestImage image = image(compression, bigTar(1), smallTar("small"));
        registry.put(REPOSITORY, TAG, image);
        Blob layer = image.layers().getFirst();
        serve(layer, flipMiddleByte(layer.bytes()));

        Cli.Result result = pull();

        assertFailsCleanly(ExitCodes.VERIFICATION, layer.digest(), result);
        assertNothingHalfWritten(image, layer.digest());
    }

    @Test
    void aFlippedByteInAnUncompressedLayerIsReportedAsADigestMismatch() throws Exception {
        TestImage image = image("none", bigTar(2));
        registry.put(REPOSITORY, TAG, image);
        Blob layer = image.layers().getFirst();
        serve(layer, flipMiddleByte(layer.bytes()));

        Cli.Result result = pull();

        assertFailsCleanly(ExitCodes.VERIFICATION, layer.digest(), result);
        assertTrue(result.stderr().contains("digest mismatch"), result.stderr());
        assertNothingHalfWritten(image, layer.digest());
    }

    // ---- size ----

    @Test
    void aLayerBodyShorterThanItsDescriptorSaysFailsWithASizeMismatch() throws Exception {
        TestImage image = image("gzip", bigTar(3), smallTar("small"));
        registry.put(REPOSITORY, TAG, image);
        Blob layer = image.layers().getFirst();
        serve(layer, Arrays.copyOf(layer.bytes(), layer.bytes().length - 100));

        Cli.Result result = pull();

        assertFailsCleanly(ExitCodes.VERIFICATION, layer.digest(), result);
        assertTrue(result.stderr().contains("size mismatch"), result.stderr());
        assertNothingHalfWritten(image, layer.digest());
    }

    @Test
    void aLayerBodyLongerThanItsDescriptorSaysFailsWithASizeMismatch() throws Exception {
        TestImage image = image("gzip", bigTar(4), smallTar("small"));
        registry.put(REPOSITORY, TAG, image);
        Blob layer = image.layers().getFirst();
        serve(layer, concat(layer.bytes(), new byte[100]));

        Cli.Result result = pull();

        assertFailsCleanly(ExitCodes.VERIFICATION, layer.digest(), result);
        assertTrue(result.stderr().contains("size mismatch"), result.stderr());
        assertNothingHalfWritten(image, layer.digest());
    }

    @Test
    void aConnectionDroppedHalfwayThroughALayerEveryTimeIsANetworkFailureThatNamesTheLayerAndKeepsOnlyWhatArrived() throws Exception {
        TestImage image = image("gzip", bigTar(13), smallTar("small"));
        registry.put(REPOSITORY, TAG, image);
        Blob layer = image.layers().getFirst();
        registry.on(blobPath(layer), new MockResponse.Builder().body(new Buffer().write(layer.bytes()))
                .onResponseBody(new SocketEffect.CloseSocket(true, true, true)).build());

        Cli.Result result = pull();

        assertFailsCleanly(ExitCodes.NETWORK, layer.digest(), result);
        assertNothingHalfWritten(image, layer.digest());
    }

    // ---- diff_id ----

    @Test
    void aValidGzipOfAnotherTarThanTheConfigPromisesFailsWithADiffIdMismatch() throws Exception {
        TestImage served = image("gzip", smallTar("what-was-served"));
        TestImage promised = image("gzip", smallTar("what-the-config-promises"));
        TestImage image = promised.withLayers(served.layers());
        registry.put(REPOSITORY, TAG, image);
        Blob layer = image.layers().getFirst();

        Cli.Result result = pull();

        assertFailsCleanly(ExitCodes.VERIFICATION, layer.digest(), result);
        assertTrue(result.stderr().contains("diff_id"), result.stderr());
        assertTrue(result.stderr().contains(promised.diffIds().getFirst().toString()), "names the promised diff_id");
        assertTrue(result.stderr().contains(served.diffIds().getFirst().toString()), "names the actual diff_id");
        assertNothingHalfWritten(image, layer.digest());
    }

    // ---- compressions ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zstd", "none", "gzip"})
    void layersOfEachCompressionArePulledAndReportTheirOwnDiffId(String compression) throws Exception {
        TestImage image = image(compression, smallTar("first"), bigTar(5), smallTar("third"));
        registry.put(REPOSITORY, TAG, image);

        Cli.Result result = pull("--format", "json");

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        Map<String, String> diffIdByLayer = new LinkedHashMap<>();
        json(result).get("Blobs").forEach(b -> {
            if (b.has("DiffID")) { // the config has none
                diffIdByLayer.put(b.get("Digest").asString(), b.get("DiffID").asString());
            }
        });
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < image.layers().size(); i++) {
            expected.put(image.layers().get(i).digest().toString(), image.diffIds().get(i).toString());
        }
        assertEquals(expected, diffIdByLayer);
        json(result).get("Blobs").forEach(b -> assertEquals("fetched", b.get("Status").asString()));
        assertPulled(image);
    }

    // ---- layers against diff_ids ----

    @Test
    void aConfigWithOneDiffIdFewerThanTheManifestHasLayersFailsBeforeAnyLayerIsFetched() throws Exception {
        byte[] first = smallTar("first");
        TestImage image = image("gzip", first, smallTar("second")).withConfig(image("gzip", first));
        registry.put(REPOSITORY, TAG, image);

        Cli.Result result = pull();

        assertFailsCleanly(ExitCodes.VERIFICATION, image.digest(), result);
        assertTrue(result.stderr().contains("2 layers") && result.stderr().contains("1 diff_ids"), result.stderr());
        for (Blob layer : image.layers()) {
            assertEquals(0, registry.count(blobPath(layer)), "no layer is fetched");
            assertNothingHalfWritten(image, layer.digest());
        }
        assertFalse(Files.exists(dir.resolve("blobs/sha256/" + image.config().digest().hex())), "the config is not kept");
    }

    // ---- platforms ----

    @Test
    void anIndexWithoutTheWantedPlatformIsNotFoundListsItsPlatformsAndStoresNothing() throws Exception {
        TestImage amd64 = TestImage.builder().platform("linux", "amd64", null).build();
        TestImage arm64 = TestImage.builder().platform("linux", "arm64", "v8").build();
        Map<String, TestImage> platforms = new LinkedHashMap<>();
        platforms.put("linux/amd64", amd64);
        platforms.put("linux/arm64/v8", arm64);
        registry.put(REPOSITORY, amd64.digest().toString(), amd64).put(REPOSITORY, arm64.digest().toString(), arm64)
                .putManifest(REPOSITORY, TAG, TestImage.index(MediaType.OCI_INDEX, platforms));

        Cli.Result result = pull("--override-arch", "s390x");

        assertEquals(ExitCodes.NOT_FOUND, result.exitCode(), result.toString());
        assertEquals(1, result.stderr().lines().count(), result.stderr());
        assertFalse(result.stderr().contains("\tat "), result.stderr());
        assertTrue(result.stderr().contains("linux/s390x"), result.stderr());
        assertTrue(result.stderr().contains("linux/amd64, linux/arm64/v8"), result.stderr());
        assertEquals(0, LayoutAssertions.index(dir).path("manifests").size());
        assertEquals(Set.of(), LayoutAssertions.blobFiles(dir));
    }

    // ---- redirects ----

    @Test
    void layersRedirectedToAStorageBackendAreFetchedThereWithoutTheRegistrysToken() throws Exception {
        storage = FakeRegistry.start();
        registry.tokenIssuer = registry;
        TestImage image = image("gzip", bigTar(6), smallTar("small"));
        registry.put(REPOSITORY, TAG, image);
        for (Blob layer : image.layers()) {
            String stored = "/storage/" + layer.digest().hex();
            registry.on(blobPath(layer), new MockResponse.Builder().code(307)
                    .addHeader("Location", storage.url(stored) + "?X-Amz-Signature=sig&X-Amz-Expires=300").build());
            storage.on(stored, body(layer.bytes()));
        }

        Cli.Result result = pull();

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertPulled(image);
        for (Blob layer : image.layers()) {
            List<RecordedRequest> atRegistry = registry.requests(blobPath(layer));
            List<RecordedRequest> atStorage = storage.requests("/storage/" + layer.digest().hex());
            assertEquals(1, atRegistry.size());
            assertEquals(1, atStorage.size());
            String authorization = atRegistry.getFirst().getHeaders().get("Authorization");
            assertNotNull(authorization, "the registry gets the token");
            assertTrue(registry.issuedTokens().contains(authorization.replaceFirst("^Bearer ", "")), authorization);
            assertNull(atStorage.getFirst().getHeaders().get("Authorization"), "the token stays with the registry");
        }
    }

    // ---- trailing bytes ----

    static final byte[] TRAILING = "trailing bytes after the gzip stream\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void aGzipLayerWithTrailingBytesCoveredByItsDigestIsStoredWithThemByteForByte() throws Exception {
        TestImage plain = image("gzip", bigTar(7));
        Blob padded = new Blob(plain.layers().getFirst().mediaType(), concat(plain.layers().getFirst().bytes(), TRAILING));
        TestImage image = plain.withLayers(List.of(padded));
        registry.put(REPOSITORY, TAG, image);

        Cli.Result result = pull("--format", "json");

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertPulled(image);
        assertArrayEquals(padded.bytes(), Files.readAllBytes(dir.resolve("blobs/sha256/" + padded.digest().hex())));
        JsonNode blob = json(result).get("Blobs").get(0);
        assertEquals(padded.digest().toString(), blob.get("Digest").asString());
        assertEquals(plain.diffIds().getFirst().toString(), blob.get("DiffID").asString(),
                "the diff_id is the tar's: the trailing bytes are not content");
    }

    @Test
    void otherTrailingBytesThanTheDigestCoversFailVerification() throws Exception {
        TestImage plain = image("gzip", bigTar(8));
        Blob padded = new Blob(plain.layers().getFirst().mediaType(), concat(plain.layers().getFirst().bytes(), TRAILING));
        TestImage image = plain.withLayers(List.of(padded));
        registry.put(REPOSITORY, TAG, image);
        byte[] otherTrailing = padded.bytes().clone();
        otherTrailing[otherTrailing.length - 2] ^= 0x20;
        serve(padded, otherTrailing);

        Cli.Result result = pull();

        assertFailsCleanly(ExitCodes.VERIFICATION, padded.digest(), result);
        assertTrue(result.stderr().contains("digest mismatch"), result.stderr());
        assertNothingHalfWritten(image, padded.digest());
    }

    // ---- truncated compression ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gzip", "zstd"})
    void aLayerCutInHalfWhoseDigestMatchesTheHalfCannotBeDecompressed(String compression) throws Exception {
        TestImage whole = image(compression, bigTar(9));
        Blob full = whole.layers().getFirst();
        Blob half = new Blob(full.mediaType(), Arrays.copyOf(full.bytes(), full.bytes().length / 2));
        TestImage image = whole.withLayers(List.of(half));
        registry.put(REPOSITORY, TAG, image);

        Cli.Result result = pull();

        assertFailsCleanly(ExitCodes.VERIFICATION, half.digest(), result);
        assertTrue(result.stderr().contains("cannot decompress"), result.stderr());
        assertNothingHalfWritten(image, half.digest());
    }

    // ---- parallelism ----

    /** Five layers, the first the biggest, so that "largest first" and the pool both matter. */
    static TestImage fiveLayers() {
        return image("gzip", bigTar(10), smallTar("a"), smallTar("b"), Layers.randomTar(11, 64 * 1024), smallTar("c"));
    }

    @Test
    void parallelOneFetchesTheLayersOneAtATime() throws Exception {
        TestImage image = fiveLayers();
        registry.put(REPOSITORY, TAG, image);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        for (Blob layer : image.layers()) {
            registry.on(blobPath(layer), request -> {
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                sleep(50);
                inFlight.decrementAndGet();
                return body(layer.bytes());
            });
        }

        Cli.Result result = pull("--parallel", "1", "--format", "json");

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(6, json(result).get("Blobs").size(), "five layers and the config");
        assertPulled(image);
        assertEquals(1, most.get(), "one layer request at a time");
    }

    @Test
    void parallelFourFetchesFourLayersAtOnce() throws Exception {
        TestImage image = fiveLayers();
        registry.put(REPOSITORY, TAG, image);
        CountDownLatch four = new CountDownLatch(4);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        for (Blob layer : image.layers()) {
            registry.on(blobPath(layer), request -> {
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                four.countDown();
                await(four);
                inFlight.decrementAndGet();
                return body(layer.bytes());
            });
        }

        Cli.Result result = pull("--parallel", "4", "--format", "json");

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(6, json(result).get("Blobs").size(), "five layers and the config");
        assertPulled(image);
        assertEquals(4, most.get(), "four layer requests at once, never five");
    }

    /**
     * The big layer trickles in for far longer than the test allows; the small one is corrupt. The
     * pull must report the small layer's failure at once rather than wait for the big one.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gzip", "none"})
    @Timeout(value = 2, unit = TimeUnit.MINUTES) // a pull that waited for the big layer would take eight
    void aCorruptSmallLayerStopsThePullPromptlyWhileABigLayerIsStillArriving(String compression) throws Exception {
        TestImage image = image(compression, Layers.randomTar(12, 2 * 1024 * 1024), smallTar("small"));
        registry.put(REPOSITORY, TAG, image);
        Blob big = image.layers().get(0);
        Blob small = image.layers().get(1);
        // 1 KiB every 250 ms, as over a congested link: the big layer would take over eight minutes,
        // and even one 64 KiB read of it takes sixteen seconds
        MockResponse trickle = new MockResponse.Builder().body(new Buffer().write(big.bytes()))
                .throttleBody(1024, 250, TimeUnit.MILLISECONDS).build();
        CountDownLatch bigStarted = new CountDownLatch(1);
        registry.on(blobPath(big), request -> {
            bigStarted.countDown();
            return trickle;
        });
        registry.on(blobPath(small), request -> {
            // fail only once the big layer is on its way
            await(bigStarted);
            return body(flipMiddleByte(small.bytes()));
        });

        Cli.Result result = pull("--parallel", "4");

        assertFailsCleanly(ExitCodes.VERIFICATION, small.digest(), result);
        assertFalse(result.stderr().contains(big.digest().toString()),
                "the failure reported is the small layer's, not the cancelled big one's:\n" + result.stderr());
        assertEquals(1, registry.count(blobPath(big)), "the big layer was on its way");
        assertNothingHalfWritten(image, small.digest());
        assertNothingHalfWritten(image, big.digest());
    }

    @Test
    void afterAFailureTheLayersNotYetStartedAreNotRequested() throws Exception {
        TestImage image = fiveLayers();
        registry.put(REPOSITORY, TAG, image);
        Blob biggest = image.layers().getFirst();
        serve(biggest, flipMiddleByte(biggest.bytes()));

        Cli.Result result = pull("--parallel", "1");

        assertFailsCleanly(ExitCodes.VERIFICATION, biggest.digest(), result);
        for (Blob layer : image.layers().subList(1, image.layers().size())) {
            assertEquals(0, registry.count(blobPath(layer)), "layer " + layer.digest() + " was requested");
        }
        assertNothingHalfWritten(image, biggest.digest());
    }

    // ---- the layout directory ----

    @Test
    void aDirectoryThatIsNotALayoutIsAGeneralFailureNotANetworkOne() throws Exception {
        registry.put(REPOSITORY, TAG, image("gzip", smallTar("small")));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "not a layout");

        Cli.Result result = pull();

        assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
        assertEquals("ferry: " + dir + " is not empty and is not an OCI image layout (no oci-layout file); "
                + "choose an empty or new directory", result.stderr().strip());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(Path.of("notes.txt")), files.map(dir::relativize).toList(), "nothing written");
        }
    }

    @Test
    void aLayoutWhoseIndexIsNotJsonIsAGeneralFailureNotANetworkOne() throws Exception {
        TestImage image = image("gzip", smallTar("small"));
        registry.put(REPOSITORY, TAG, image);
        assertEquals(ExitCodes.OK, pull().exitCode());
        Files.writeString(dir.resolve("index.json"), "{\"manifests\": [");

        Cli.Result result = pull();

        assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
        assertEquals(1, result.stderr().lines().count(), result.stderr());
        assertTrue(result.stderr().contains("index.json is not valid JSON"), result.stderr());
        assertFalse(result.stderr().contains("network"), result.stderr());
    }

    // ---- a second pull ----

    @Test
    void aPullAfterAFailedOneSucceedsOnceTheRegistryServesTheRightBytes() throws Exception {
        TestImage image = fiveLayers();
        registry.put(REPOSITORY, TAG, image);
        Blob bad = image.layers().get(3);
        AtomicBoolean corrupt = new AtomicBoolean(true);
        registry.on(blobPath(bad), request -> body(corrupt.get() ? flipMiddleByte(bad.bytes()) : bad.bytes()));

        Cli.Result failed = pull();
        assertFailsCleanly(ExitCodes.VERIFICATION, bad.digest(), failed);
        assertNothingHalfWritten(image, bad.digest());

        corrupt.set(false);
        Cli.Result again = pull("--format", "json");

        assertEquals(ExitCodes.OK, again.exitCode(), again.toString());
        assertPulled(image);
        assertEquals(TAG, LayoutAssertions.index(dir).path("manifests").get(0).path("annotations")
                .path("org.opencontainers.image.ref.name").asString());
        for (JsonNode blob : json(again).get("Blobs")) {
            if (blob.get("Digest").asString().equals(bad.digest().toString())) {
                assertEquals("fetched", blob.get("Status").asString());
            }
        }
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
