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
import dev.ferry.testing.RangeAnswers;
import dev.ferry.testing.TestImage;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A copy reads a large blob's ranges ahead over several connections while its upload sends the
 * bytes in order; the destination receives exactly the blob, or nothing complete.
 */
@org.junit.jupiter.api.Timeout(60)
class RangedCopyTest {

    static final String SOURCE = "apps/src";
    static final String TARGET = "apps/dst";
    static final int CHUNK = 16 * 1024;

    FakeRegistry source;
    FakeRegistry target;
    Blob layer;
    String path;

    @BeforeEach
    void start() throws Exception {
        source = FakeRegistry.start();
        target = FakeRegistry.start();
        TestImage image = TestImage.builder().compression("gzip").layerTar(Layers.randomTar(21, 400 * 1024)).build();
        source.put(SOURCE, "1", image);
        layer = image.layers().getFirst();
        path = "/v2/" + SOURCE + "/blobs/" + layer.digest();
    }

    @AfterEach
    void stop() {
        source.close();
        target.close();
    }

    Cli.Result copy() {
        return Cli.run("copy", "-q", "--ranged-fetch-threshold", "1KiB", "--concurrent-layer-fetch-buffer",
                CHUNK / 1024 + "KiB", "--max-concurrent-downloads-per-layer", "3",
                source.ref(SOURCE + ":1"), target.ref(TARGET + ":1"));
    }

    int size() {
        return layer.bytes().length;
    }

    static long[] range(RecordedRequest request) {
        return RangeAnswers.range(request);
    }

    MockResponse part(RecordedRequest request) {
        return RangeAnswers.part(layer.bytes(), request);
    }

    @Test
    void rangesAnsweredOutOfOrderAreUploadedInOrderAndTheDestinationHoldsTheBlob() throws Exception {
        source.on(path, request -> {
            MockResponse answer = part(request);
            return range(request)[0] == 0 ? answer.newBuilder().bodyDelay(300, TimeUnit.MILLISECONDS).build() : answer;
        });

        Cli.Result result = copy();

        assertEquals(0, result.exitCode(), result.toString());
        assertArrayEquals(layer.bytes(), target.blob(TARGET, layer.digest()));
        List<RecordedRequest> requests = source.requests(path);
        assertTrue(requests.size() >= Math.ceilDiv(size(), CHUNK), "one request per range: " + requests.size());
        assertTrue(requests.stream().allMatch(r -> range(r) != null), "every request asked for a range");
    }

    @Test
    void aSourceThatIgnoresRangeIsCopiedInOneStream() throws Exception {
        source.on(path, request -> new MockResponse.Builder().body(new Buffer().write(layer.bytes())).build());

        Cli.Result result = copy();

        assertEquals(0, result.exitCode(), result.toString());
        assertArrayEquals(layer.bytes(), target.blob(TARGET, layer.digest()));
        List<RecordedRequest> requests = source.requests(path);
        assertEquals(2, requests.size(), "one range request, then the blob in one stream");
        assertNull(range(requests.get(1)));
    }

    @Test
    void aCorruptedRangeFailsTheCopyWithExitFiveAndTheDestinationNeverHoldsTheBlob() throws Exception {
        source.on(path, request -> {
            if (range(request)[0] != 2L * CHUNK) {
                return part(request);
            }
            byte[] bytes = Arrays.copyOfRange(layer.bytes(), 2 * CHUNK, 3 * CHUNK);
            bytes[7] ^= 1;
            return new MockResponse.Builder().code(206)
                    .setHeader("Content-Range", "bytes " + 2 * CHUNK + "-" + (3 * CHUNK - 1) + "/" + size())
                    .body(new Buffer().write(bytes)).build();
        });

        Cli.Result result = copy();

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        assertNull(target.blob(TARGET, layer.digest()), "the destination has no such blob");
    }
}
