package dev.ferry.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.cli.ExitCodes;
import dev.ferry.json.Json;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.TestImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code history --sizes} streams each layer once without keeping it, so a body that breaks off
 * is asked for again from the bytes already read (as unpack does), and the layer's digest and
 * diff_id cover the bytes of every attempt together.
 */
class HistorySizesResumeTest {

    static final String REPOSITORY = "apps/history";
    static final int FILE_SIZE = 600 * 1024;

    FakeRegistry registry;
    Blob layer;
    String path;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        TestImage image = TestImage.builder().compression("gzip").layerTar(Layers.randomTar(7, FILE_SIZE))
                .layerTar(Layers.randomTar(8, 2000)).build();
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

    static int rangeStart(RecordedRequest request) {
        String range = request.getHeaders().get("Range");
        if (range == null) {
            return -1;
        }
        assertTrue(range.matches("bytes=\\d+-"), range);
        return Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
    }

    MockResponse cutHalfway() {
        return new MockResponse.Builder().body(new Buffer().write(layer.bytes()))
                .onResponseBody(new SocketEffect.CloseSocket(true, true, true)).build();
    }

    MockResponse rest(RecordedRequest request, byte[] bytes) {
        int from = rangeStart(request);
        return new MockResponse.Builder().code(206)
                .setHeader("Content-Range", "bytes " + from + "-" + (size() - 1) + "/" + size())
                .body(new Buffer().write(Arrays.copyOfRange(bytes, from, size()))).build();
    }

    @SafeVarargs
    final void answer(Function<RecordedRequest, MockResponse>... answers) {
        AtomicLong count = new AtomicLong();
        registry.on(path, request -> answers[(int) Math.min(count.getAndIncrement(), answers.length - 1)].apply(request));
    }

    Cli.Result history(String... options) {
        List<String> args = new ArrayList<>(List.of("history", "--sizes", "--format", "json"));
        args.addAll(List.of(options));
        args.add(registry.ref(REPOSITORY + ":1"));
        return Cli.run(args.toArray(String[]::new));
    }

    static List<Long> sizes(Cli.Result result) {
        List<Long> sizes = new ArrayList<>();
        for (String line : result.stdout().strip().split("\n")) {
            sizes.add(Json.MAPPER.readTree(line).get("SizeBytes").asLong());
        }
        return sizes;
    }

    @Test
    void aLayerBodyCutHalfwayIsResumedFromTheBytesReadAndItsFileSizesAddUp() {
        answer(r -> cutHalfway(), r -> rest(r, layer.bytes()));

        Cli.Result result = history();

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(sizes(result).containsAll(List.of((long) FILE_SIZE, 2000L)), result.stdout());
        List<RecordedRequest> requests = registry.requests(path);
        assertEquals(2, requests.size());
        assertEquals(-1, rangeStart(requests.get(0)));
        int resumedAt = rangeStart(requests.get(1));
        assertTrue(resumedAt > 0 && resumedAt <= size() / 2, "resumed at " + resumedAt + " of " + size());
    }

    @Test
    void aRestThatIsNotTheBlobsFailsItsDigest() {
        byte[] other = Layers.randomBytes(99, size());
        answer(r -> cutHalfway(), r -> rest(r, other));

        Cli.Result result = history();

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains(layer.digest().toString()), result.stderr());
    }

    @Test
    void aBodyCutEveryTimeIsResumedAsOftenAsRequestsAreRetriedThenFails() {
        answer(r -> cutHalfway());

        Cli.Result result = history("--retry-times", "2");

        assertEquals(ExitCodes.NETWORK, result.exitCode(), result.toString());
        assertEquals(3, registry.requests(path).size(), "the first request and two resumes");
    }
}
