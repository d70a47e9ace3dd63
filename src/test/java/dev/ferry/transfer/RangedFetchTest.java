package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.cli.ExitCodes;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.RangeAnswers;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.TestImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * A large blob is fetched in ranges over several connections into its partial file at their
 * offsets, and verified in order; whatever the registry does with the ranges, only a blob whose
 * digest and diff_id verified is stored.
 */
class RangedFetchTest {

    static final String REPOSITORY = "apps/ranged";
    static final String TAG = "1";
    static final int CHUNK = 64 * 1024;

    FakeRegistry registry;
    Blob layer;
    String path;

    @TempDir
    Path tmp;
    Path dir;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        dir = tmp.resolve("layout");
        TestImage image = TestImage.builder().compression("gzip").layerTar(Layers.randomTar(11, 600 * 1024))
                .layerTar(Layers.randomTar(12, 2000)).build();
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
        return pullAbove("1KiB", options);
    }

    Cli.Result pullAbove(String threshold, String... options) {
        List<String> args = new ArrayList<>(List.of("pull", "-q", "--ranged-fetch-threshold", threshold,
                "--concurrent-layer-fetch-buffer", CHUNK / 1024 + "KiB", "--max-concurrent-downloads-per-layer", "4"));
        args.addAll(List.of(options));
        args.add(registry.ref(REPOSITORY + ":" + TAG));
        args.add(dir.toString());
        return Cli.run(args.toArray(String[]::new));
    }

    /** The first and last byte a request asks for, or null without a Range header; last is -1 for "to the end". */
    static long[] range(RecordedRequest request) {
        return RangeAnswers.range(request);
    }

    /** 206 with exactly the bytes asked for. */
    MockResponse part(RecordedRequest request) {
        return RangeAnswers.part(layer.bytes(), request);
    }

    MockResponse whole() {
        return new MockResponse.Builder().body(new Buffer().write(layer.bytes())).build();
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
        assertEquals(List.of(), partialFiles(), "no partial file or range record is left");
    }

    /** Every range request asks for one range (the last one to the end), and together they cover the blob. */
    void assertRangesCover(long from) {
        List<long[]> asked = layerRequests().stream().map(RangedFetchTest::range).toList();
        boolean[] covered = new boolean[(int) Math.ceilDiv(size() - from, CHUNK)];
        for (long[] r : asked) {
            assertTrue(r != null && (r[1] >= r[0] && r[1] < size() || r[1] == -1 && size() - r[0] <= CHUNK),
                    "a range within the blob");
            if ((r[0] - from) % CHUNK == 0) {
                covered[(int) ((r[0] - from) / CHUNK)] = true;
            }
        }
        for (boolean c : covered) {
            assertTrue(c, "every range was asked for");
        }
    }

    // ---- tests ----

    @Test
    void rangesAnsweredOutOfOrderAreWrittenAtTheirOffsetsAndTheBlobVerifies() throws Exception {
        // The first ranges arrive last: the verifier waits for the prefix while later ranges fill the file.
        registry.on(path, request -> {
            MockResponse answer = part(request);
            long first = range(request)[0];
            return first < 2 * CHUNK ? answer.newBuilder().bodyDelay(300, TimeUnit.MILLISECONDS).build() : answer;
        });

        Cli.Result result = pull();

        assertPulled(result);
        assertTrue(layerRequests().size() >= Math.ceilDiv(size(), CHUNK), "one request per range at least");
        assertRangesCover(0);
    }

    @Test
    void aRangeCutMidwayIsAskedForAgainFromWhereItBroke() throws Exception {
        AtomicInteger cuts = new AtomicInteger();
        registry.on(path, request -> {
            long[] r = range(request);
            if (r[0] == 3L * CHUNK && cuts.getAndIncrement() == 0) {
                return part(request).newBuilder().onResponseBody(new SocketEffect.CloseSocket(true, true, true)).build();
            }
            return part(request);
        });

        Cli.Result result = pull();

        assertPulled(result);
        assertEquals(1, cuts.get(), "the range was cut once");
        assertTrue(layerRequests().stream().map(RangedFetchTest::range)
                .anyMatch(r -> r[0] > 3L * CHUNK && r[0] < 4L * CHUNK && r[1] == 4L * CHUNK - 1),
                "the rest of the cut range was asked for");
    }

    @Test
    void aRegistryThatIgnoresRangeIsAskedOnceForARangeThenForTheWholeBlobInOneStream() throws Exception {
        registry.on(path, request -> whole());

        Cli.Result result = pull();

        assertPulled(result);
        List<RecordedRequest> requests = layerRequests();
        assertEquals(2, requests.size(), "one range request, then one stream: not a whole blob per connection");
        assertEquals(0, range(requests.get(0))[0]);
        assertEquals(null, range(requests.get(1)), "the whole blob, without a range");
    }

    @Test
    void aRedirectTargetThatIgnoresRangeMakesTheBlobComeInOneStream() throws Exception {
        String storage = "/storage/" + layer.digest().hex();
        registry.on(path, request -> new MockResponse.Builder().code(307)
                .setHeader("Location", registry.url(storage).toString()).build());
        registry.on(storage, request -> whole());

        Cli.Result result = pull();

        assertPulled(result);
        assertEquals(2, registry.count(storage), "the range request and the stream reached the storage");
        assertTrue(range(registry.requests(storage).getFirst()) != null, "the range was passed on with the redirect");
    }

    @Test
    void aContentRangeNamingOtherBytesIsNotWrittenAndTheBlobComesInOneStream() throws Exception {
        // A later range answered with the bytes of another: written at its offset, it would corrupt the blob.
        registry.on(path, request -> {
            long[] r = range(request);
            if (r != null && r[0] == 2L * CHUNK && r[1] >= 0) {
                return new MockResponse.Builder().code(206)
                        .setHeader("Content-Range", "bytes 0-" + (CHUNK - 1) + "/" + size())
                        .body(new Buffer().write(Arrays.copyOfRange(layer.bytes(), 0, CHUNK))).build();
            }
            return r == null ? whole() : part(request);
        });

        Cli.Result result = pull();

        assertPulled(result);
        long[] last = range(layerRequests().getLast());
        assertTrue(last == null || last[1] == -1, "the rest came in one stream");
    }

    @Test
    void aPullAfterAKillResumesFromTheRangesRecordedAsCompleteAndRefetchesWhatLiesPastAGap() throws Exception {
        // A killed run left two complete ranges, a gap, and a range past it; the record says two.
        byte[] left = new byte[5 * CHUNK];
        System.arraycopy(layer.bytes(), 0, left, 0, 2 * CHUNK);
        System.arraycopy(layer.bytes(), 4 * CHUNK, left, 4 * CHUNK, CHUNK);
        Files.createDirectories(stablePartial().getParent());
        Files.write(stablePartial(), left);
        Files.writeString(stablePartial().resolveSibling(stablePartial().getFileName() + ".ranges"),
                String.format("%018d%n", 2 * CHUNK), StandardCharsets.US_ASCII);
        registry.on(path, this::part);

        Cli.Result result = pull();

        assertPulled(result);
        long lowest = layerRequests().stream().mapToLong(r -> range(r)[0]).min().orElseThrow();
        assertEquals(2L * CHUNK, lowest, "nothing before the recorded prefix was fetched again");
        assertRangesCover(2L * CHUNK);
    }

    @Test
    void aRecordClaimingMoreThanTheFileHoldsIsNotTrustedBeyondTheFile() throws Exception {
        Files.createDirectories(stablePartial().getParent());
        Files.write(stablePartial(), Arrays.copyOf(layer.bytes(), CHUNK));
        Files.writeString(stablePartial().resolveSibling(stablePartial().getFileName() + ".ranges"),
                String.format("%018d%n", 9 * CHUNK), StandardCharsets.US_ASCII);
        registry.on(path, this::part);

        Cli.Result result = pull();

        assertPulled(result);
        long lowest = layerRequests().stream().mapToLong(r -> range(r)[0]).min().orElseThrow();
        assertEquals(CHUNK, lowest);
    }

    @Test
    void aLinkPlantedAsTheRangeRecordIsNeitherFollowedNorTrusted() throws Exception {
        Path sentinel = tmp.resolve("sentinel");
        Files.writeString(sentinel, "000000000000065536\n");
        Files.createDirectories(stablePartial().getParent());
        Files.write(stablePartial(), new byte[2 * CHUNK]); // zeros: wrong bytes, were they trusted
        Files.createSymbolicLink(stablePartial().resolveSibling(stablePartial().getFileName() + ".ranges"), sentinel);
        registry.on(path, this::part);

        Cli.Result result = pull();

        assertPulled(result);
        assertEquals("000000000000065536\n", Files.readString(sentinel), "the file outside is untouched");
        assertEquals(0L, layerRequests().stream().mapToLong(r -> range(r)[0]).min().orElseThrow(),
                "nothing of the partial file was trusted");
    }

    @Test
    void aCorruptedRangeFailsTheDigestCheckWithExitFiveAndLeavesNoBlob() throws Exception {
        registry.on(path, request -> {
            MockResponse answer = part(request);
            if (range(request)[0] != 2L * CHUNK) {
                return answer;
            }
            byte[] bytes = Arrays.copyOfRange(layer.bytes(), 2 * CHUNK, 3 * CHUNK);
            bytes[100] ^= 1;
            return answer.newBuilder().body(new Buffer().write(bytes)).build();
        });

        Cli.Result result = pull();

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        assertFalse(Files.exists(dir.resolve("blobs/sha256/" + layer.digest().hex())), "no blob under its digest");
        assertEquals(List.of(), partialFiles(), "nothing kept of wrong bytes");
    }

    @Test
    void aRangeCutEveryTimeEndsThePullKeepingOnlyAPrefixOfTheBlob() throws Exception {
        registry.on(path, request -> {
            long[] r = range(request);
            MockResponse answer = part(request);
            return r[0] >= 3L * CHUNK && r[0] < 4L * CHUNK
                    ? answer.newBuilder().onResponseBody(new SocketEffect.CloseSocket(true, true, true)).build()
                    : answer;
        });

        Cli.Result result = pull("--retry-times", "1");

        assertEquals(ExitCodes.NETWORK, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains(layer.digest().toString()), result.stderr());
        for (Path kept : partialFiles()) {
            assertFalse(kept.getFileName().toString().endsWith(".ranges"), "the record goes with the gap");
            byte[] held = Files.readAllBytes(kept);
            assertTrue(held.length <= 4 * CHUNK, "nothing past the gap is kept: " + held.length);
            assertArrayEquals(Arrays.copyOf(layer.bytes(), held.length), held, "the kept bytes are the layer's first");
        }
    }

    @Test
    void aBlobBelowTheThresholdComesInOneStream() throws Exception {
        registry.on(path, request -> range(request) == null ? whole() : part(request));

        Cli.Result result = pullAbove("1GiB");

        assertPulled(result);
        assertEquals(1, layerRequests().size());
        assertEquals(null, range(layerRequests().getFirst()));
    }

}
