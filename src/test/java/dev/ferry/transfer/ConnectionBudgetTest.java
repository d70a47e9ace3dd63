package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.RangeAnswers;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.TestImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.RecordedRequest;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layer parallelism and ranged fetch share one budget of connections to the source registry
 * ({@code --max-connections-per-registry}): the registry never sees more layer requests at once
 * than the budget, and ranges take the connections the layers leave free.
 *
 * <p>The registry counts a layer request from its arrival until the last byte of its answer is
 * about to be written: a span within the one in which ferry holds the connection, so the count
 * never exceeds what ferry holds. So that concurrency shows, each request but a ranged layer's
 * first waits until {@code target} requests are open at once; when that does not happen soon,
 * waiting stops for the rest of the pull and the counts decide.
 */
class ConnectionBudgetTest {

    static final String REPOSITORY = "apps/budget";
    static final int CHUNK = 64 * 1024;

    FakeRegistry registry;
    @TempDir
    Path tmp;

    final Object lock = new Object();
    int open;
    int most;
    volatile boolean waiting = true;
    CountDownLatch peak;

    @AfterEach
    void stop() {
        registry.close();
    }

    /** Serves the layers of {@code image}, counting the requests open at once. */
    void serve(TestImage image, int target) throws IOException {
        registry = FakeRegistry.start();
        registry.put(REPOSITORY, "1", image);
        peak = new CountDownLatch(1);
        Map<String, byte[]> layers = new HashMap<>();
        for (Blob layer : image.layers()) {
            layers.put("/v2/" + REPOSITORY + "/blobs/" + layer.digest(), layer.bytes());
        }
        registry.intercept("GET", "/v2/" + REPOSITORY + "/blobs/.*", request -> {
            byte[] bytes = layers.get(request.getUrl().encodedPath());
            return bytes == null ? null : counted(request, bytes, target);
        });
    }

    MockResponse counted(RecordedRequest request, byte[] bytes, int target) {
        synchronized (lock) {
            most = Math.max(most, ++open);
            if (open >= target) {
                peak.countDown();
            }
        }
        long[] range = RangeAnswers.range(request);
        // A ranged layer's first request is answered at once: its other ranges wait for it.
        if ((range == null || range[0] > 0) && waiting) {
            try {
                // Not a threshold of the test: only how long concurrency may take to build up.
                if (!peak.await(5, TimeUnit.SECONDS)) {
                    waiting = false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int first = range == null ? 0 : (int) range[0];
        int last = range == null || range[1] < 0 ? bytes.length - 1 : (int) Math.min(range[1], bytes.length - 1);
        MockResponse.Builder answer = new MockResponse.Builder().body(new Closing(bytes, first, last + 1));
        return range == null ? answer.build()
                : answer.code(206).setHeader("Content-Range", "bytes " + first + "-" + last + "/" + bytes.length).build();
    }

    /** An answer's body that stops counting its request just before its last byte, which ferry waits for. */
    final class Closing implements MockResponseBody {
        private final byte[] bytes;
        private final int from;
        private final int to;

        Closing(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.from = from;
            this.to = to;
        }

        @Override
        public long getContentLength() {
            return to - from;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            try {
                sink.write(bytes, from, to - from - 1);
                sink.flush();
            } finally {
                synchronized (lock) {
                    open--;
                }
            }
            sink.write(bytes, to - 1, 1);
            sink.flush();
        }
    }

    static TestImage image(int layers, int layerSize) {
        TestImage.Builder builder = TestImage.builder().compression("gzip");
        for (int i = 0; i < layers; i++) {
            builder.layerTar(Layers.randomTar(40 + i, layerSize));
        }
        return builder.build();
    }

    Cli.Result pull(String... options) {
        List<String> args = new ArrayList<>(List.of("pull", "-q", "--ranged-fetch-threshold", "1KiB",
                "--concurrent-layer-fetch-buffer", CHUNK / 1024 + "KiB"));
        args.addAll(List.of(options));
        args.add(registry.ref(REPOSITORY + ":1"));
        args.add(tmp.resolve("layout").toString());
        return Cli.run(args.toArray(String[]::new));
    }

    int most() {
        synchronized (lock) {
            return most;
        }
    }

    void assertPulled(Cli.Result result, TestImage image) throws Exception {
        assertEquals(0, result.exitCode(), result.toString());
        var stored = LayoutAssertions.assertEveryReferencedBlobVerifies(tmp.resolve("layout"));
        for (Blob layer : image.layers()) {
            assertTrue(stored.contains(layer.digest()), "every layer is stored");
        }
    }

    @Test
    void moreParallelLayersThanTheBudgetNeverHoldMoreConnectionsThanIt() throws Exception {
        TestImage image = image(5, 8 * CHUNK);
        serve(image, 4); // one more than the budget: a pull that overspends is caught at it

        Cli.Result result = pull("--parallel", "5", "--max-concurrent-downloads-per-layer", "3",
                "--max-connections-per-registry", "3");

        assertPulled(result, image);
        assertEquals(3, most(), "the budget is used and never exceeded");
    }

    @Test
    void rangesOfTheLastLayerTakeTheConnectionsTheOtherLayersLeftFree() throws Exception {
        TestImage image = image(1, 24 * CHUNK);
        serve(image, 4);

        // Three layers may move at once, but there is one: its ranges get the whole budget.
        Cli.Result result = pull("--parallel", "3", "--max-concurrent-downloads-per-layer", "4",
                "--max-connections-per-registry", "4");

        assertPulled(result, image);
        assertEquals(4, most(), "the one layer's ranges took the whole budget");
    }

    @Test
    void withoutRangesTheBudgetStillCapsTheLayersMovedAtOnce() throws Exception {
        TestImage image = image(4, 4 * CHUNK);
        serve(image, 3);

        Cli.Result result = pull("--parallel", "4", "--max-connections-per-registry", "2");

        assertPulled(result, image);
        assertEquals(2, most(), "the budget is used and never exceeded");
    }

    @Test
    void withoutABudgetGivenTheLayersMovedAtOnceEachGetTheirRanges() throws Exception {
        TestImage image = image(4, 24 * CHUNK);
        serve(image, 17); // one more than four layers of four ranges: a pull that overspends is caught

        // The budget is --parallel times the ranges per layer, as containerd's settings multiply:
        // more than a fixed dozen would allow.
        Cli.Result result = pull("--parallel", "4", "--max-concurrent-downloads-per-layer", "4");

        assertPulled(result, image);
        assertEquals(16, most(), "every layer took all four of its ranges, and no more");
    }
}
