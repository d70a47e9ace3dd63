package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.RangeAnswers;
import dev.ferry.testing.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the default {@code --max-concurrent-downloads-per-layer auto}, a large blob starts on one
 * connection and moves to ranges once that connection is what it waits on. The registry here
 * sends a blob's one stream at 160 KiB/s, so its first half second leaves most of it to come.
 */
@Timeout(60)
class AdaptiveRangesTest {

    static final String REPOSITORY = "apps/adaptive";
    static final int CHUNK = 64 * 1024;

    FakeRegistry registry;
    Blob layer;
    String path;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        TestImage image = TestImage.builder().compression("gzip").layerTar(Layers.randomTar(31, 1200 * 1024)).build();
        registry.put(REPOSITORY, "1", image);
        layer = image.layers().getFirst();
        path = "/v2/" + REPOSITORY + "/blobs/" + layer.digest();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    int size() {
        return layer.bytes().length;
    }

    /** The blob whole, at 160 KiB/s. */
    MockResponse slowWhole() {
        return new MockResponse.Builder().body(new Buffer().write(layer.bytes()))
                .throttleBody(16 * 1024, 100, TimeUnit.MILLISECONDS).build();
    }

    MockResponse part(RecordedRequest request) {
        return RangeAnswers.part(layer.bytes(), request);
    }

    Cli.Result run(String command, String destination) {
        return Cli.run(command, "-q", "--ranged-fetch-threshold", "1KiB", "--concurrent-layer-fetch-buffer",
                CHUNK / 1024 + "KiB", registry.ref(REPOSITORY + ":1"), destination);
    }

    @Test
    void aPullWhoseOneConnectionIsSlowMovesToRangesFromWhereItWasAndTheBlobVerifies() throws Exception {
        registry.on(path, request -> RangeAnswers.range(request) == null ? slowWhole() : part(request));
        Path dir = tmp.resolve("layout");

        Cli.Result result = run("pull", dir.toString());

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(LayoutAssertions.assertEveryReferencedBlobVerifies(dir).contains(layer.digest()));
        assertArrayEquals(layer.bytes(), Files.readAllBytes(dir.resolve("blobs/sha256/" + layer.digest().hex())));
        List<long[]> ranges = registry.requests(path).stream().map(RangeAnswers::range).toList();
        assertNull(ranges.getFirst(), "the blob started on one connection");
        long from = ranges.get(1)[0];
        assertTrue(from > 0 && from < size() - 2L * CHUNK, "it moved part-way: " + from);
        assertTrue(ranges.subList(1, ranges.size()).stream().allMatch(r -> r != null && r[0] >= from),
                "then only ranges of what was left");
        assertTrue(ranges.size() - 1 >= (size() - from) / CHUNK, "one request per range: " + ranges.size());
    }

    @Test
    void aCopyWhoseSourceConnectionIsSlowMovesToRangesAndUploadsTheBlobInOrder() throws Exception {
        registry.on(path, request -> RangeAnswers.range(request) == null ? slowWhole() : part(request));
        try (FakeRegistry target = FakeRegistry.start()) {
            Cli.Result result = run("copy", target.ref("apps/copied:1"));

            assertEquals(0, result.exitCode(), result.toString());
            assertArrayEquals(layer.bytes(), target.blob("apps/copied", layer.digest()));
        }
        List<RecordedRequest> requests = registry.requests(path);
        assertNull(RangeAnswers.range(requests.getFirst()));
        assertTrue(requests.size() > 2 && RangeAnswers.range(requests.get(1))[0] > 0,
                "the rest came in ranges: " + requests.size());
    }

    @Test
    void onceOneBlobMovedTheTransfersLaterLargeBlobsComeInRangesFromTheirFirstByte() throws Exception {
        TestImage two = TestImage.builder().compression("gzip").layerTar(Layers.randomTar(32, 1200 * 1024))
                .layerTar(Layers.randomTar(33, 1100 * 1024)).build();
        registry.put("apps/two", "1", two);
        List<String> paths = two.layers().stream().map(l -> "/v2/apps/two/blobs/" + l.digest()).toList();
        for (int i = 0; i < paths.size(); i++) {
            Blob blob = two.layers().get(i);
            registry.on(paths.get(i), request -> RangeAnswers.range(request) == null
                    ? new MockResponse.Builder().body(new Buffer().write(blob.bytes()))
                            .throttleBody(16 * 1024, 100, TimeUnit.MILLISECONDS).build()
                    : RangeAnswers.part(blob.bytes(), request));
        }
        Path dir = tmp.resolve("two");

        Cli.Result result = Cli.run("pull", "-q", "--parallel", "1", "--ranged-fetch-threshold", "1KiB",
                "--concurrent-layer-fetch-buffer", CHUNK / 1024 + "KiB", registry.ref("apps/two:1"), dir.toString());

        assertEquals(0, result.exitCode(), result.toString());
        var reached = LayoutAssertions.assertEveryReferencedBlobVerifies(dir);
        two.layers().forEach(l -> assertTrue(reached.contains(l.digest())));
        // largest first, one at a time: the first probes its one connection, the second starts in ranges
        List<List<long[]>> asked = paths.stream()
                .map(p -> registry.requests(p).stream().map(RangeAnswers::range).toList()).toList();
        List<long[]> probed = asked.stream().filter(a -> a.getFirst() == null).findFirst().orElseThrow();
        List<long[]> ranged = asked.stream().filter(a -> a != probed).findFirst().orElseThrow();
        assertTrue(probed.stream().skip(1).allMatch(r -> r != null), "the first moved to ranges");
        assertTrue(ranged.stream().allMatch(r -> r != null), "every request of the second asked for a range");
        assertEquals(0, ranged.stream().mapToLong(r -> r[0]).min().orElseThrow(), "from its first byte");
    }

    @Test
    void aCopyFromARegistryThatIgnoresRangeAfterTheMoveSendsTheBlobFromOneStream() throws Exception {
        java.util.concurrent.atomic.AtomicInteger streams = new java.util.concurrent.atomic.AtomicInteger();
        // the first stream is slow, ranges are answered whole, a later stream comes at full speed
        registry.on(path, request -> RangeAnswers.range(request) == null && streams.getAndIncrement() == 0
                ? slowWhole() : new MockResponse.Builder().body(new Buffer().write(layer.bytes())).build());
        try (FakeRegistry target = FakeRegistry.start()) {
            Cli.Result result = run("copy", target.ref("apps/copied:1"));

            assertEquals(0, result.exitCode(), result.toString());
            assertArrayEquals(layer.bytes(), target.blob("apps/copied", layer.digest()));
        }
        List<long[]> ranges = registry.requests(path).stream().map(RangeAnswers::range).toList();
        assertEquals(3, ranges.size(), "one stream, the move's range answered whole, then one stream again");
        assertNull(ranges.get(0));
        assertTrue(ranges.get(1) != null);
        assertNull(ranges.get(2), "the upload starts again from the whole blob, which does not move again");
    }

    @Test
    void aRegistryThatIgnoresRangeAfterTheMoveGetsTheRestInOneStreamAndNoFurtherMove() throws Exception {
        // ranges are answered with the whole blob, at full speed; one stream from the start is slow
        registry.on(path, request -> RangeAnswers.range(request) == null ? slowWhole()
                : new MockResponse.Builder().body(new Buffer().write(layer.bytes())).build());
        Path dir = tmp.resolve("layout");

        Cli.Result result = run("pull", dir.toString());

        assertEquals(0, result.exitCode(), result.toString());
        assertArrayEquals(layer.bytes(), Files.readAllBytes(dir.resolve("blobs/sha256/" + layer.digest().hex())));
        List<long[]> ranges = registry.requests(path).stream().map(RangeAnswers::range).toList();
        assertEquals(3, ranges.size(), "one stream, one range answered whole, then the rest in one stream");
        assertNull(ranges.get(0));
        assertTrue(ranges.get(1) != null && ranges.get(2) != null, "the move's range, then the resume's");
    }
}
