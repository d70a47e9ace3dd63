package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.cli.ExitCodes;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.TestImage;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blob whose transfer broke off is resumed with a {@code Range} request from the bytes already
 * received, within one pull and across pulls (a killed pull leaves its partial files under the
 * digest's name); whatever the registry answers, only a blob whose whole content verified is stored.
 */
class ResumeTransferTest {

    static final String REPOSITORY = "apps/resume";
    static final String TAG = "1";

    FakeRegistry registry;
    TestImage image;
    Blob layer;
    String path;
    /** Body bytes the registry sent for the layer, over all requests. */
    final AtomicLong served = new AtomicLong();

    @TempDir
    Path tmp;
    Path dir;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        dir = tmp.resolve("layout");
        image = TestImage.builder().compression("gzip").layerTar(Layers.randomTar(7, 600 * 1024))
                .layerTar(Layers.randomTar(8, 2000)).build();
        registry.put(REPOSITORY, TAG, image);
        layer = image.layers().getFirst();
        path = "/v2/" + REPOSITORY + "/blobs/" + layer.digest();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    // ---- helpers ----

    int size() {
        return layer.bytes().length;
    }

    Cli.Result pull(String... options) {
        List<String> args = new ArrayList<>(List.of("pull", "-q"));
        args.addAll(List.of(options));
        args.add(registry.ref(REPOSITORY + ":" + TAG));
        args.add(dir.toString());
        return Cli.run(args.toArray(String[]::new));
    }

    /** The whole layer with 200; the connection is dropped halfway through the body. */
    MockResponse cutHalfway() {
        served.addAndGet(size() / 2);
        return new MockResponse.Builder().body(new Buffer().write(layer.bytes()))
                .onResponseBody(new SocketEffect.CloseSocket(true, true, true)).build();
    }

    MockResponse whole() {
        served.addAndGet(size());
        return new MockResponse.Builder().body(new Buffer().write(layer.bytes())).build();
    }

    /** 206 with the layer from {@code from} on, saying in Content-Range that it starts at {@code says}. */
    MockResponse partial(int from, int says) {
        served.addAndGet(size() - from);
        return new MockResponse.Builder().code(206)
                .setHeader("Content-Range", "bytes " + says + "-" + (size() - 1) + "/" + size())
                .body(new Buffer().write(Arrays.copyOfRange(layer.bytes(), from, size()))).build();
    }

    /** The offset a request asks for with {@code Range: bytes=N-}, or -1 without a Range header. */
    static int rangeStart(RecordedRequest request) {
        String range = request.getHeaders().get("Range");
        if (range == null) {
            return -1;
        }
        assertTrue(range.matches("bytes=\\d+-"), range);
        return Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
    }

    /** Answers the layer's requests in turn: the i-th request gets the i-th answer, the last one thereafter. */
    @SafeVarargs
    final void answer(Function<RecordedRequest, MockResponse>... answers) {
        AtomicLong count = new AtomicLong();
        registry.on(path, request -> answers[(int) Math.min(count.getAndIncrement(), answers.length - 1)].apply(request));
    }

    List<RecordedRequest> layerRequests() {
        return registry.requests(path);
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

    Path stablePartial() {
        return dir.resolve(".ferry-partial").resolve("sha256-" + layer.digest().hex());
    }

    void assertPulled(Cli.Result result) throws Exception {
        assertEquals(0, result.exitCode(), result.toString());
        var reached = LayoutAssertions.assertEveryReferencedBlobVerifies(dir);
        assertTrue(reached.contains(layer.digest()), "the layer is stored");
        assertArrayEquals(layer.bytes(), Files.readAllBytes(dir.resolve("blobs/sha256/" + layer.digest().hex())));
        assertEquals(List.of(), partialFiles(), "no partial file is left");
    }

    void writePartial(byte[] bytes) throws Exception {
        Files.createDirectories(stablePartial().getParent());
        Files.write(stablePartial(), bytes);
    }

    // ---- within one pull ----

    @Test
    void aBodyCutHalfwayIsResumedWithARangeRequestForTheRestAndTheStoredBlobVerifies() throws Exception {
        answer(r -> cutHalfway(), r -> partial(rangeStart(r), rangeStart(r)));

        Cli.Result result = pull();

        assertPulled(result);
        List<RecordedRequest> requests = layerRequests();
        assertEquals(2, requests.size());
        assertEquals(-1, rangeStart(requests.get(0)));
        int resumedAt = rangeStart(requests.get(1));
        assertTrue(resumedAt > 0 && resumedAt <= size() / 2, "resumed at " + resumedAt + " of " + size());
        assertTrue(served.get() < size() * 3 / 2, "about one blob was sent: " + served.get() + " of " + size());
    }

    @Test
    void aRegistryThatIgnoresTheRangeAndSendsTheWholeBlobAgainStillGivesAVerifiedBlob() throws Exception {
        answer(r -> cutHalfway(), r -> whole());

        Cli.Result result = pull();

        assertPulled(result);
        List<RecordedRequest> requests = layerRequests();
        assertEquals(2, requests.size());
        assertTrue(rangeStart(requests.get(1)) > 0, "the second request asked for the rest");
    }

    @Test
    void aRegistryThatRefusesTheRangeWith416IsAskedForTheWholeBlob() throws Exception {
        answer(r -> cutHalfway(), r -> new MockResponse.Builder().code(416).build(), r -> whole());

        Cli.Result result = pull();

        assertPulled(result);
        List<RecordedRequest> requests = layerRequests();
        assertEquals(3, requests.size());
        assertTrue(rangeStart(requests.get(1)) > 0);
        assertEquals(-1, rangeStart(requests.get(2)), "the whole blob is asked for without a range");
    }

    @Test
    void aContentRangeThatStartsElsewhereIsNotAppendedAndTheWholeBlobIsFetched() throws Exception {
        // The bytes from 100 before the offset asked for: appended, they would corrupt the blob.
        answer(r -> cutHalfway(), r -> partial(rangeStart(r) - 100, rangeStart(r) - 100), r -> whole());

        Cli.Result result = pull();

        assertPulled(result);
        List<RecordedRequest> requests = layerRequests();
        assertEquals(3, requests.size());
        assertEquals(-1, rangeStart(requests.get(2)));
    }

    @Test
    void aContentRangeThatLiesAboutWhereItStartsFailsTheDigestCheckAndThePullRestartsFromZero() throws Exception {
        // Says it starts at the offset asked for, but sends the bytes from 100 before it.
        answer(r -> cutHalfway(), r -> partial(rangeStart(r) - 100, rangeStart(r)), r -> whole());

        Cli.Result result = pull();

        assertPulled(result);
        List<RecordedRequest> requests = layerRequests();
        assertEquals(3, requests.size());
        assertEquals(-1, rangeStart(requests.get(2)), "after the mismatch the whole blob is fetched");
    }

    @Test
    void aBodyCutEveryTimeWithoutProgressIsResumedAsOftenAsRequestsAreRetriedThenFailsKeepingWhatArrived()
            throws Exception {
        answer(r -> cutHalfway());

        Cli.Result result = pull("--retry-times", "2");

        assertEquals(ExitCodes.NETWORK, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains(layer.digest().toString()), result.stderr());
        // The registry ignores Range, so every resume starts from zero and is cut again: the first
        // request and two resumes.
        assertEquals(3, layerRequests().size());
        assertEquals(List.of(stablePartial()), partialFiles());
        byte[] held = Files.readAllBytes(stablePartial());
        assertTrue(held.length > 0 && held.length < size());
        assertArrayEquals(Arrays.copyOf(layer.bytes(), held.length), held, "the partial file holds the layer's first bytes");
    }

    /** 206 with the rest of the layer from {@code from} on; the connection drops halfway through it. */
    MockResponse partialCutHalfway(int from) {
        served.addAndGet((size() - from) / 2);
        return new MockResponse.Builder().code(206)
                .setHeader("Content-Range", "bytes " + from + "-" + (size() - 1) + "/" + size())
                .body(new Buffer().write(Arrays.copyOfRange(layer.bytes(), from, size())))
                .onResponseBody(new SocketEffect.CloseSocket(true, true, true)).build();
    }

    @Test
    void aBodyCutAfterSomeNewBytesEveryTimeStillCountsEachResumeAgainstTheRetryTimes() throws Exception {
        answer(r -> cutHalfway(), r -> partialCutHalfway(rangeStart(r)));

        Cli.Result result = pull("--retry-times", "2");

        assertEquals(ExitCodes.NETWORK, result.exitCode(), result.toString());
        // Every resume brought new bytes, and still only two are allowed: a server that always cuts
        // after a little progress does not get resumes without end.
        List<RecordedRequest> requests = layerRequests();
        assertEquals(3, requests.size());
        assertEquals(-1, rangeStart(requests.getFirst()));
        assertTrue(rangeStart(requests.get(1)) > 0 && rangeStart(requests.get(2)) > rangeStart(requests.get(1)),
                "each resume asks for the rest after what arrived");
        byte[] held = Files.readAllBytes(stablePartial());
        assertArrayEquals(Arrays.copyOf(layer.bytes(), held.length), held, "what arrived is kept for a later pull");
    }

    // ---- across pulls ----

    @Test
    void aPartialFileLeftByAnEarlierPullIsResumedFromItsLength() throws Exception {
        int half = size() / 2;
        writePartial(Arrays.copyOf(layer.bytes(), half));
        answer(r -> rangeStart(r) >= 0 ? partial(rangeStart(r), rangeStart(r)) : whole());

        Cli.Result result = pull();

        assertPulled(result);
        List<RecordedRequest> requests = layerRequests();
        assertEquals(1, requests.size());
        assertEquals("bytes=" + half + "-", requests.getFirst().getHeaders().get("Range"));
        assertEquals(size() - half, served.get(), "only the rest was sent");
        Cli.Result again = Cli.run("pull", "--format", "json", registry.ref(REPOSITORY + ":" + TAG),
                dir.resolveSibling("other-" + dir.getFileName()).toString());
        long downloaded = 0;
        for (var blob : dev.ferry.json.Json.MAPPER.readTree(again.stdout()).get("Blobs")) {
            downloaded += blob.get("Size").asLong();
        }
        long resumedPull = dev.ferry.json.Json.MAPPER.readTree(result.stdout().isEmpty() ? "{}" : result.stdout())
                .path("BytesDownloaded").asLong(-1);
        assertEquals(downloaded, dev.ferry.json.Json.MAPPER.readTree(again.stdout()).get("BytesDownloaded").asLong(),
                "a fresh pull downloads every byte");
        assertTrue(resumedPull == -1 || resumedPull == downloaded - half, "a resumed pull counts only the rest");
    }

    @Test
    void aPartialFileWithWrongBytesFailsTheDigestCheckAndThePullRestartsFromZero() throws Exception {
        byte[] corrupt = Arrays.copyOf(layer.bytes(), size() / 2);
        corrupt[100] ^= 0x01;
        writePartial(corrupt);
        answer(r -> rangeStart(r) >= 0 ? partial(rangeStart(r), rangeStart(r)) : whole());

        Cli.Result result = pull();

        assertPulled(result);
        List<RecordedRequest> requests = layerRequests();
        assertEquals(2, requests.size());
        assertEquals(size() / 2, rangeStart(requests.get(0)));
        assertEquals(-1, rangeStart(requests.get(1)), "the second request is for the whole blob");
    }

    @Test
    void aPartialFileLongerThanTheBlobIsDiscarded() throws Exception {
        writePartial(Arrays.copyOf(layer.bytes(), size() + 10));

        Cli.Result result = pull();

        assertPulled(result);
        assertEquals(1, layerRequests().size());
        assertNull(layerRequests().getFirst().getHeaders().get("Range"));
    }

    @Test
    void aCompletePartialFileIsVerifiedFromDiskWithoutAskingTheRegistry() throws Exception {
        writePartial(layer.bytes());

        Cli.Result result = pull();

        assertPulled(result);
        assertEquals(0, layerRequests().size());
    }

    @Test
    void aPartialFileLockedByAnotherWriterIsLeftAloneAndTheBlobIsFetchedWhole() throws Exception {
        byte[] half = Arrays.copyOf(layer.bytes(), size() / 2);
        writePartial(half);
        Cli.Result result;
        try (FileChannel channel = FileChannel.open(stablePartial(), StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            result = pull();
        }

        assertEquals(0, result.exitCode(), result.toString());
        LayoutAssertions.assertEveryReferencedBlobVerifies(dir);
        assertEquals(1, layerRequests().size());
        assertNull(layerRequests().getFirst().getHeaders().get("Range"));
        assertEquals(List.of(stablePartial()), partialFiles(), "only the other writer's file is left");
        assertArrayEquals(half, Files.readAllBytes(stablePartial()), "the other writer's file is untouched");
    }
}
