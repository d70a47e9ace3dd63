package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.cli.ExitCodes;
import dev.ferry.testing.Blob;
import dev.ferry.testing.BrokenBodies;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer being applied to a tree cannot be read again from its start, so when its body breaks
 * off the rest is asked for from the bytes already applied; the tree is renamed into place only
 * when the layer's digest and diff_id verified over the bytes of every attempt together.
 */
class UnpackResumeTest {

    static final String REPOSITORY = "apps/unpack";
    static final int FILE_SIZE = 600 * 1024;

    FakeRegistry registry;
    Blob layer;
    String path;

    @TempDir
    Path tmp;
    Path dir;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        dir = tmp.resolve("rootfs");
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

    List<RecordedRequest> layerRequests() {
        return registry.requests(path);
    }

    Cli.Result unpack(String... options) {
        String[] args = new String[options.length + 4];
        args[0] = "unpack";
        args[1] = "-q";
        System.arraycopy(options, 0, args, 2, options.length);
        args[options.length + 2] = registry.ref(REPOSITORY + ":1");
        args[options.length + 3] = dir.toString();
        return Cli.run(args);
    }

    void assertUnpacked(Cli.Result result) throws Exception {
        assertEquals(0, result.exitCode(), result.toString());
        assertArrayEquals(Layers.randomBytes(7, FILE_SIZE), Files.readAllBytes(dir.resolve("random-7.bin")));
        assertEquals(2000, Files.size(dir.resolve("random-8.bin")));
    }

    @Test
    void aLayerBodyCutHalfwayIsResumedFromTheBytesAppliedAndTheTreeIsComplete() throws Exception {
        BrokenBodies.inTurn(registry, path, r -> BrokenBodies.cutHalfway(layer.bytes()),
                r -> BrokenBodies.rest(r, layer.bytes()));

        Cli.Result result = unpack();

        assertUnpacked(result);
        List<RecordedRequest> requests = layerRequests();
        assertEquals(2, requests.size());
        assertEquals(-1, BrokenBodies.rangeStart(requests.get(0)));
        int resumedAt = BrokenBodies.rangeStart(requests.get(1));
        assertTrue(resumedAt > 0 && resumedAt <= size() / 2, "resumed at " + resumedAt + " of " + size());
    }

    @Test
    void aRegistryThatIgnoresTheRangeHasTheBytesAlreadyAppliedSkippedAndTheTreeIsComplete() throws Exception {
        BrokenBodies.inTurn(registry, path, r -> BrokenBodies.cutHalfway(layer.bytes()),
                r -> BrokenBodies.whole(layer.bytes()));

        Cli.Result result = unpack();

        assertUnpacked(result);
        assertEquals(2, layerRequests().size());
        assertTrue(BrokenBodies.rangeStart(layerRequests().get(1)) > 0, "the second request asked for the rest");
    }

    @Test
    void aRestThatIsNotTheBlobsFailsItsDigestAndLeavesNoTree() throws Exception {
        byte[] other = Layers.randomBytes(99, size());
        BrokenBodies.inTurn(registry, path, r -> BrokenBodies.cutHalfway(layer.bytes()),
                r -> BrokenBodies.rest(r, other));

        Cli.Result result = unpack();

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains(layer.digest().toString()), result.stderr());
        assertFalse(Files.exists(dir));
    }

    @Test
    void aBodyCutEveryTimeIsResumedAsOftenAsRequestsAreRetriedThenFailsLeavingNoTree() throws Exception {
        BrokenBodies.inTurn(registry, path, r -> BrokenBodies.cutHalfway(layer.bytes()));

        Cli.Result result = unpack("--retry-times", "2");

        assertEquals(ExitCodes.NETWORK, result.exitCode(), result.toString());
        assertEquals(3, layerRequests().size(), "the first request and two resumes");
        assertFalse(Files.exists(dir));
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "no work directory is left beside the target");
        }
    }
}
