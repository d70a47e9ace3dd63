package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.Ferry;
import dev.ferry.FerryOptions;
import dev.ferry.auth.Credentials;
import dev.ferry.http.RetryPolicy;
import dev.ferry.location.ImageLocation;
import dev.ferry.reference.ImageReference;
import dev.ferry.registry.RegistryAccess;
import dev.ferry.testing.Blob;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.TestImage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a copy uploads a blob into a registry, checked request by request against a fake that keeps
 * upload sessions as the distribution registry does: where each request goes (the latest
 * {@code Location}, relative or absolute, query kept, possibly on another host), the
 * {@code Content-Range} of each chunk, the closing PUT, and what happens to a session that fails.
 */
@org.junit.jupiter.api.Timeout(60)
class CopyUploadTest {

    static final String SOURCE = "apps/src";
    static final String TARGET = "apps/dst";
    static final int CHUNK = 1000;
    static final String SESSIONS = "/v2/" + TARGET + "/blobs/uploads/.+";

    FakeRegistry source;
    FakeRegistry destination;
    FakeRegistry storage;

    @BeforeEach
    void start() throws Exception {
        source = FakeRegistry.start();
        destination = FakeRegistry.start();
    }

    @AfterEach
    void stop() {
        if (storage != null) {
            storage.close();
        }
        destination.close();
        source.close();
    }

    // ---- helpers ----

    static byte[] randomBytes(long seed, int size) {
        return Layers.randomBytes(seed, size);
    }

    /** An image whose one layer is exactly these bytes (stored uncompressed, as a registry may hold anything). */
    static TestImage imageWithLayer(byte[] layer) {
        return TestImage.builder().compression("none").layerTar(layer).build();
    }

    static FerryOptions options() {
        return FerryOptions.defaults().withUploadChunkSize(CHUNK)
                .withRetry(new RetryPolicy(3, Duration.ofMillis(10)));
    }

    /** What the last copy's Ferry counted as retries, and what it logged with --debug. */
    long lastRetries;
    final java.io.ByteArrayOutputStream debugLog = new java.io.ByteArrayOutputStream();

    TransferResult copy(TestImage image, RegistryAccess destinationAccess) throws IOException {
        source.put(SOURCE, "1.0", image);
        try (Ferry ferry = Ferry.create(options().withDebugLog(new java.io.PrintStream(debugLog, true)))) {
            TransferResult result = ferry.copy(
                    new ImageLocation.Docker(ImageReference.parse(source.hostPort() + "/" + SOURCE + ":1.0")),
                    new ImageLocation.Docker(ImageReference.parse(destination.hostPort() + "/" + TARGET + ":2.0"),
                            destinationAccess), new TransferOptions(null, false, 1, false), TransferListener.NONE);
            lastRetries = ferry.retries();
            return result;
        }
    }

    TransferResult copy(TestImage image) throws IOException {
        return copy(image, RegistryAccess.anonymous());
    }

    /** The image arrived whole: every blob with its bytes, the manifest under the tag. */
    void assertArrived(TestImage image) {
        for (Blob blob : allBlobs(image)) {
            assertArrayEquals(blob.bytes(), destination.blob(TARGET, blob.digest()), "blob " + blob.digest());
        }
        assertArrayEquals(image.manifest().bytes(), destination.manifest(TARGET, "2.0").bytes());
        assertEquals(0, destination.openUploads(), "no upload session left open");
    }

    static List<Blob> allBlobs(TestImage image) {
        List<Blob> all = new ArrayList<>(image.layers());
        all.add(image.config());
        return all;
    }

    /** The closing PUT of the blob's upload, found by the digest it names. */
    static RecordedRequest closingPut(FakeRegistry server, Blob blob) {
        List<RecordedRequest> puts = server.requests("PUT", SESSIONS).stream()
                .filter(r -> blob.digest().toString().equals(r.getUrl().queryParameter("digest"))).toList();
        assertEquals(1, puts.size(), "one closing PUT for " + blob.digest());
        return puts.getFirst();
    }

    /** The PATCH requests sent into the session that the given PUT closed, in order. */
    static List<RecordedRequest> patchesBefore(FakeRegistry server, RecordedRequest put) {
        return server.requests("PATCH", SESSIONS).stream()
                .filter(r -> r.getUrl().encodedPath().equals(put.getUrl().encodedPath())).toList();
    }

    static byte[] body(RecordedRequest request) {
        return request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
    }

    // ---- where requests go ----

    @ParameterizedTest(name = "absolute Location: {0}")
    @ValueSource(booleans = {false, true})
    void everyRequestOfAnUploadGoesToTheLatestLocationWithItsQueryString(boolean absolute) throws Exception {
        destination.absoluteUploadLocations = absolute;
        TestImage image = imageWithLayer(randomBytes(1, 2500));

        copy(image);

        assertArrived(image);
        List<RecordedRequest> sessionRequests = new ArrayList<>(destination.requests("PATCH", SESSIONS));
        sessionRequests.addAll(destination.requests("PUT", SESSIONS));
        assertEquals(3 + 2, sessionRequests.size(), "three chunks of the layer, then a PUT for each blob");
        for (RecordedRequest request : sessionRequests) {
            assertNotNull(request.getUrl().queryParameter("_state"), "state kept on " + request.getRequestLine());
        }
        // The fake refuses a stale or missing _state: one POST per blob means no upload had to start over.
        assertEquals(2, destination.count("POST", "/v2/" + TARGET + "/blobs/uploads/"));
    }

    @ParameterizedTest(name = "{0} auth")
    @ValueSource(strings = {"basic", "bearer"})
    void anUploadLocationOnAnotherHostReceivesTheBlobWithoutTheRegistrysAuthorization(String auth) throws Exception {
        RegistryAccess access = RegistryAccess.anonymous();
        if (auth.equals("basic")) {
            destination.requiredAuthorization = FakeRegistry.basic("pusher", "s3cret");
            access = new RegistryAccess(new Credentials("pusher", "s3cret"), true);
        } else {
            destination.tokenIssuer = destination;
        }
        storage = FakeRegistry.start();
        destination.uploadsAt = storage;
        TestImage image = imageWithLayer(randomBytes(2, 2500));

        copy(image, access);

        assertArrived(image);
        List<RecordedRequest> stored = new ArrayList<>(storage.requests("PATCH", SESSIONS));
        stored.addAll(storage.requests("PUT", SESSIONS));
        assertEquals(3 + 2, stored.size(), storage.requests("PUT", SESSIONS).toString());
        for (RecordedRequest request : stored) {
            assertNull(request.getHeaders().get("Authorization"), "no credentials to " + request.getRequestLine());
        }
        assertEquals(0, destination.count("PATCH", SESSIONS) + destination.count("PUT", SESSIONS));
        for (RecordedRequest request : destination.requests("POST", "/v2/" + TARGET + "/blobs/uploads/")) {
            assertNotNull(request.getHeaders().get("Authorization"), "the registry itself gets them");
        }
    }

    // ---- chunks ----

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 500})
    void aBlobIsUploadedAsExactlyItsBytesInOnePutOrInContiguousChunks(int size) throws Exception {
        byte[] bytes = randomBytes(size, size);
        TestImage image = imageWithLayer(bytes);
        Blob layer = image.layers().getFirst();

        copy(image);

        assertArrived(image);
        RecordedRequest put = closingPut(destination, layer);
        List<RecordedRequest> patches = patchesBefore(destination, put);
        if (size <= CHUNK) {
            assertEquals(List.of(), patches, "a blob of at most one chunk goes in one PUT");
            assertArrayEquals(bytes, body(put));
            return;
        }
        long offset = 0;
        for (RecordedRequest patch : patches) {
            long length = Math.min(CHUNK, size - offset);
            assertEquals(offset + "-" + (offset + length - 1), patch.getHeaders().get("Content-Range"));
            assertArrayEquals(Arrays.copyOfRange(bytes, (int) offset, (int) (offset + length)), body(patch));
            offset += length;
        }
        assertEquals(size, offset, "the chunks cover the blob");
        assertEquals((size + CHUNK - 1) / CHUNK, patches.size());
        assertEquals(0, body(put).length, "the closing PUT of a chunked upload has no body");
        assertNull(put.getHeaders().get("Content-Range"));
    }

    // ---- failures ----

    @Test
    void a416OnAChunkRestartsTheUploadFromTheBeginningInANewSessionAndDeletesTheOldOne() throws Exception {
        TestImage image = imageWithLayer(randomBytes(3, 2500));
        Blob layer = image.layers().getFirst();
        AtomicBoolean refused = new AtomicBoolean();
        destination.intercept("PATCH", SESSIONS, request -> "1000-1999".equals(request.getHeaders().get("Content-Range"))
                && refused.compareAndSet(false, true)
                ? FakeRegistry.error(416, "BLOB_UPLOAD_INVALID", "requested range not satisfiable") : null);

        TransferResult result = copy(image);

        assertArrived(image);
        List<RecordedRequest> deletes = destination.requests("DELETE", SESSIONS);
        assertEquals(1, deletes.size(), "the abandoned session is deleted");
        RecordedRequest put = closingPut(destination, layer);
        assertFalse(deletes.getFirst().getUrl().encodedPath().equals(put.getUrl().encodedPath()),
                "the upload went on in a new session");
        List<String> ranges = patchesBefore(destination, put).stream().map(r -> r.getHeaders().get("Content-Range"))
                .toList();
        assertEquals(List.of("0-999", "1000-1999", "2000-2499"), ranges, "the new session starts from byte 0");
        assertEquals(3, destination.count("POST", "/v2/" + TARGET + "/blobs/uploads/"));
        BlobRecord record = result.blobs().stream().filter(b -> b.descriptor().digest().equals(layer.digest()))
                .findFirst().orElseThrow();
        assertEquals(BlobOutcome.FETCHED, record.outcome());
        assertEquals(1, record.resumes(), "one restart");
        assertEquals(1, lastRetries, "the restart counts as a retry");
        assertTrue(debugLog.toString().contains("retrying the upload of blob " + layer.digest()), debugLog.toString());
        assertTrue(destination.requests("DELETE", SESSIONS).stream()
                .allMatch(r -> r.getUrl().queryParameter("_state") != null));
    }

    @Test
    void anUploadRefusedWith401MidWayStartsAgainOnceWithAFreshToken() throws Exception {
        destination.tokenIssuer = destination;
        TestImage image = imageWithLayer(randomBytes(4, 2500));
        AtomicBoolean refused = new AtomicBoolean();
        destination.intercept("PATCH", SESSIONS, request -> "1000-1999".equals(request.getHeaders().get("Content-Range"))
                && refused.compareAndSet(false, true)
                ? FakeRegistry.error(401, "UNAUTHORIZED", "token expired") : null);

        TransferResult result = copy(image);

        assertArrived(image);
        assertTrue(refused.get());
        List<String> patchTokens = destination.requests("PATCH", SESSIONS).stream()
                .map(r -> r.getHeaders().get("Authorization")).distinct().toList();
        assertEquals(2, patchTokens.size(), "the restarted upload carries another token: " + patchTokens);
        assertEquals(1, result.blobs().stream().mapToInt(BlobRecord::resumes).sum(), "one restart");
    }

    @Test
    void anUploadRefusedWith401AgainAfterAFreshTokenFailsAsUnauthorized() throws Exception {
        destination.tokenIssuer = destination;
        TestImage image = imageWithLayer(randomBytes(5, 2500));
        destination.intercept("PATCH", SESSIONS, request -> FakeRegistry.error(401, "UNAUTHORIZED", "denied"));

        dev.ferry.registry.RegistryException failure = org.junit.jupiter.api.Assertions.assertThrows(
                dev.ferry.registry.RegistryException.class, () -> copy(image));

        assertEquals(401, failure.status());
        assertEquals(2, destination.requests("PATCH", SESSIONS).size(), "one try, and one with a fresh token");
        assertNull(destination.manifest(TARGET, "2.0"), "no manifest pushed");
    }
}
