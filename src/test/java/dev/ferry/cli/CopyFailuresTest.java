package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.Ferry;
import dev.ferry.FerryOptions;
import dev.ferry.digest.VerificationException;
import dev.ferry.http.RetryPolicy;
import dev.ferry.json.Json;
import dev.ferry.reference.ImageReference;
import dev.ferry.registry.RegistryException;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.TestImage;
import dev.ferry.location.ImageLocation;
import dev.ferry.transfer.TransferOptions;
import dev.ferry.transfer.TransferListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy whose upload fails for good, or whose source sends wrong bytes: the exit code, one line on
 * standard error naming the blob, every session it opened deleted, and no manifest pushed, so the
 * destination tag never names an image with a missing or wrong blob. Retried failures that pass are
 * counted in {@code --format json}.
 */
@org.junit.jupiter.api.Timeout(60)
class CopyFailuresTest {

    static final String SOURCE = "apps/src";
    static final String TARGET = "apps/dst";
    static final String SESSIONS = "/v2/" + TARGET + "/blobs/uploads/.+";
    static final String START = "/v2/" + TARGET + "/blobs/uploads/";
    static final String MANIFESTS = "/v2/" + TARGET + "/manifests/.+";
    static final int CHUNK = 1000;

    final TestImage image = TestImage.builder().compression("none").layerTar(randomBytes(7, 2500)).build();
    final Blob layer = image.layers().getFirst();
    FakeRegistry source;
    FakeRegistry destination;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws Exception {
        source = FakeRegistry.start();
        destination = FakeRegistry.start();
        source.put(SOURCE, "1.0", image);
    }

    @AfterEach
    void stop() {
        destination.close();
        source.close();
    }

    static byte[] randomBytes(long seed, int size) {
        return Layers.randomBytes(seed, size);
    }

    Cli.Result copy(String... options) {
        List<String> args = new ArrayList<>(List.of("copy", "-q", "--retry-delay", "10ms"));
        args.addAll(List.of(options));
        args.add(source.ref(SOURCE + ":1.0"));
        args.add(destination.ref(TARGET + ":2.0"));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void destCredsWithDestNoCredsIsAUsageErrorAndNothingIsAsked() {
        Cli.Result result = copy("--dest-no-creds", "--dest-creds", "user:password");

        BadInputTest.assertFailsCleanly(ExitCodes.USAGE, result);
        assertTrue(result.stderr().contains("--dest-creds and --dest-no-creds"), result.stderr());
        assertEquals(0, source.count("GET", "/v2/.*") + destination.count("GET", "/v2/.*"), "nothing is asked");
    }

    /** The library's copy with uploads in chunks of {@link #CHUNK} bytes. */
    void copyInChunks() throws IOException {
        FerryOptions options = FerryOptions.defaults().withUploadChunkSize(CHUNK)
                .withRetry(new RetryPolicy(3, Duration.ofMillis(10)));
        try (Ferry ferry = Ferry.create(options)) {
            ferry.copy(new ImageLocation.Docker(ImageReference.parse(source.hostPort() + "/" + SOURCE + ":1.0")),
                    new ImageLocation.Docker(ImageReference.parse(destination.hostPort() + "/" + TARGET + ":2.0")),
                    new TransferOptions(null, false, 1, false), TransferListener.NONE);
        }
    }

    static void assertOneLine(int exitCode, Blob named, Cli.Result result) {
        assertEquals(exitCode, result.exitCode(), result.toString());
        assertEquals(1, result.stderr().lines().count(), result.stderr());
        assertTrue(result.stderr().startsWith("ferry: "), result.stderr());
        assertTrue(result.stderr().contains(named.digest().toString()), result.stderr());
        assertFalse(result.stderr().contains("\tat "), result.stderr());
        assertEquals("", result.stdout());
    }

    /** Nothing under the tag, every session it opened closed. */
    void assertNothingPushed() {
        assertEquals(0, destination.count("PUT", MANIFESTS), "no manifest PUT");
        assertNull(destination.manifest(TARGET, "2.0"));
        assertEquals(0, destination.openUploads(), "every session opened was deleted");
    }

    /** Serves bytes of the layer's size that are not the layer. */
    void sourceServesWrongBytes() {
        byte[] wrong = layer.bytes().clone();
        wrong[wrong.length - 1] ^= 0x01;
        source.on("/v2/" + SOURCE + "/blobs/" + layer.digest(),
                new MockResponse.Builder().body(new Buffer().write(wrong)).build());
    }

    /** No request that reached the registry carried the whole blob, in one body or in chunks. */
    void assertNoCompleteUploadOfTheLayer() {
        assertNull(destination.blob(TARGET, layer.digest()));
        long sent = destination.requests("PATCH", SESSIONS).stream().mapToLong(RecordedRequest::getBodySize).sum();
        for (RecordedRequest put : destination.requests("PUT", SESSIONS)) {
            if (layer.digest().toString().equals(put.getUrl().queryParameter("digest"))) {
                sent += put.getBodySize();
            }
        }
        assertTrue(sent < layer.bytes().length, sent + " bytes of " + layer.bytes().length + " reached the registry");
    }

    // ---- upload failures ----

    @Test
    void aChunkThatAlwaysFailsWith500FailsTheCopyAfterTheRestartsWithoutAManifest() throws Exception {
        destination.intercept("PATCH", SESSIONS, request -> FakeRegistry.error(500, "UNKNOWN", "storage is down"));

        RegistryException e = assertThrows(RegistryException.class, this::copyInChunks);

        assertEquals(500, e.status());
        assertEquals(4, destination.count("PATCH", SESSIONS), "the first try and three restarts");
        assertEquals(4, destination.count("DELETE", SESSIONS), "each abandoned session deleted");
        assertNothingPushed();
        Failures.Outcome outcome = Failures.classify(e, "--dest-creds");
        assertEquals(ExitCodes.FAILURE, outcome.code());
        assertTrue(outcome.message().contains(layer.digest().toString()), outcome.message());
        assertTrue(outcome.message().contains("HTTP 500"), outcome.message());
        assertEquals(1, outcome.message().lines().count(), outcome.message());
    }

    @Test
    void aBlobPutThatAlwaysFailsWith500ExitsWithTheGeneralFailureCodeWithoutAManifest() {
        destination.intercept("PUT", SESSIONS, request -> FakeRegistry.error(500, "UNKNOWN", "storage is down"));

        Cli.Result result = copy();

        assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("HTTP 500"), result.stderr());
        assertEquals(1, result.stderr().lines().count(), result.stderr());
        assertTrue(result.stderr().contains(layer.digest().toString())
                || result.stderr().contains(image.config().digest().toString()), result.stderr());
        assertNothingPushed();
    }

    // ---- wrong bytes at the source ----

    @Test
    void aSourceBlobThatDoesNotMatchItsDigestExitsWithVerificationAndIsNeverCompletedAtTheDestination() {
        sourceServesWrongBytes();

        Cli.Result result = copy("--parallel", "1"); // the layer, largest, goes first: no other blob starts

        assertOneLine(ExitCodes.VERIFICATION, layer, result);
        assertNoCompleteUploadOfTheLayer();
        assertEquals(1, destination.count("DELETE", SESSIONS), "the session is deleted");
        assertEquals(1, destination.count("POST", START), "the config was not started");
        assertEquals(1, source.count("GET", "/v2/" + SOURCE + "/blobs/" + layer.digest()), "wrong bytes are not retried");
        assertNothingPushed();
    }

    @Test
    void aSourceBlobThatDoesNotMatchItsDigestStopsAChunkedUploadBeforeItsLastChunk() {
        sourceServesWrongBytes();

        assertThrows(VerificationException.class, this::copyInChunks);

        assertNoCompleteUploadOfTheLayer();
        assertEquals(0, destination.requests("PUT", SESSIONS).stream()
                .filter(r -> layer.digest().toString().equals(r.getUrl().queryParameter("digest"))).count(),
                "no closing PUT");
        assertEquals(1, destination.count("DELETE", SESSIONS));
        assertNothingPushed();
    }

    @Test
    void aCorruptBlobInASourceLayoutExitsWithVerificationAndIsNeverCompletedAtTheDestination() throws Exception {
        Path layout = tmp.resolve("layout");
        Cli.Result pulled = Cli.run("pull", "-q", source.ref(SOURCE + ":1.0"), layout.toString());
        assertEquals(ExitCodes.OK, pulled.exitCode(), pulled.toString());
        Path stored = layout.resolve("blobs/sha256/" + layer.digest().hex());
        byte[] corrupt = Files.readAllBytes(stored);
        corrupt[corrupt.length / 2] ^= 0x01;
        Files.write(stored, corrupt);

        Cli.Result result = Cli.run("copy", "-q", "--parallel", "1", "oci:" + layout, destination.ref(TARGET + ":2.0"));

        assertOneLine(ExitCodes.VERIFICATION, layer, result);
        assertNoCompleteUploadOfTheLayer();
        assertEquals(1, destination.count("DELETE", SESSIONS), "the session is deleted");
        assertNothingPushed();
    }

    // ---- retried failures ----

    @Test
    void aManifestPutAnswered503WithRetryAfterIsRetriedAndCounted() {
        AtomicBoolean refused = new AtomicBoolean();
        destination.intercept("PUT", MANIFESTS, request -> refused.compareAndSet(false, true)
                ? new MockResponse.Builder().code(503).addHeader("Retry-After", "1").build() : null);

        Cli.Result result = copy("--debug", "--format", "json");

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(1, Json.MAPPER.readTree(result.stdout()).get("Retries").asLong(), result.stdout());
        assertEquals(2, destination.count("PUT", MANIFESTS));
        // The wait is the one the registry asked for, not --retry-delay's 10 ms.
        assertTrue(result.stderr().lines().anyMatch(line -> line.startsWith("debug: retrying PUT ")
                && line.contains("/manifests/") && line.contains(" in 1000 ms")), result.stderr());
        assertArrayEquals(image.manifest().bytes(), destination.manifest(TARGET, "2.0").bytes());
    }

    @Test
    void aBlobUploadStartAnswered500IsRetriedAndCounted() {
        AtomicBoolean refused = new AtomicBoolean();
        destination.intercept("POST", START, request -> refused.compareAndSet(false, true)
                ? FakeRegistry.error(500, "UNKNOWN", "try again") : null);

        Cli.Result result = copy("--format", "json");

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(1, Json.MAPPER.readTree(result.stdout()).get("Retries").asLong(), result.stdout());
        assertEquals(2 + 1, destination.count("POST", START));
        assertArrayEquals(layer.bytes(), destination.blob(TARGET, layer.digest()));
        assertArrayEquals(image.manifest().bytes(), destination.manifest(TARGET, "2.0").bytes());
    }
}
