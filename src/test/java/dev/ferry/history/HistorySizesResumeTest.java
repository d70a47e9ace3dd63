package dev.ferry.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.cli.ExitCodes;
import dev.ferry.json.Json;
import dev.ferry.testing.Blob;
import dev.ferry.testing.BrokenBodies;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.TestImage;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.RecordedRequest;
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
        BrokenBodies.inTurn(registry, path, r -> BrokenBodies.cutHalfway(layer.bytes()),
                r -> BrokenBodies.rest(r, layer.bytes()));

        Cli.Result result = history();

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(sizes(result).containsAll(List.of((long) FILE_SIZE, 2000L)), result.stdout());
        List<RecordedRequest> requests = registry.requests(path);
        assertEquals(2, requests.size());
        assertEquals(-1, BrokenBodies.rangeStart(requests.get(0)));
        int resumedAt = BrokenBodies.rangeStart(requests.get(1));
        assertTrue(resumedAt > 0 && resumedAt <= size() / 2, "resumed at " + resumedAt + " of " + size());
    }

    @Test
    void aRestThatIsNotTheBlobsFailsItsDigest() {
        byte[] other = Layers.randomBytes(99, size());
        BrokenBodies.inTurn(registry, path, r -> BrokenBodies.cutHalfway(layer.bytes()),
                r -> BrokenBodies.rest(r, other));

        Cli.Result result = history();

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains(layer.digest().toString()), result.stderr());
    }

    @Test
    void aBodyCutEveryTimeIsResumedAsOftenAsRequestsAreRetriedThenFails() {
        BrokenBodies.inTurn(registry, path, r -> BrokenBodies.cutHalfway(layer.bytes()));

        Cli.Result result = history("--retry-times", "2");

        assertEquals(ExitCodes.NETWORK, result.exitCode(), result.toString());
        assertEquals(3, registry.requests(path).size(), "the first request and two resumes");
    }
}
