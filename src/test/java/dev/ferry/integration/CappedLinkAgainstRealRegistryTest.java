package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.CappedLink;
import dev.ferry.testing.Cli;
import dev.ferry.testing.Layers;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ranged fetch through the real registry behind nginx capping each connection (scripts/shaper, as
 * scripts/bench-link runs it): reads of a capped connection come a burst at a time, ranges pause for
 * a block after short reads, and several connections carry one layer; the image arrives whole and
 * verified, by pull and by copy.
 */
class CappedLinkAgainstRealRegistryTest {

    static final String[] RANGED = {"--ranged-fetch-threshold", "1MiB", "--concurrent-layer-fetch-buffer", "512KiB",
        "--max-concurrent-downloads-per-layer", "4"};

    static LocalRegistry registry;
    static LocalRegistry mirror;
    static CappedLink link;
    static TestImage image;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalRegistry.start();
        mirror = LocalRegistry.start();
        link = CappedLink.start(registry.port(), "2m");
        // Random bytes do not compress: the first layer is about 6 MiB on the wire, 12 ranges.
        image = TestImage.builder().compression("gzip").layerTar(Layers.randomTar(41, 6 * 1024 * 1024))
                .layerTar(Layers.randomTar(42, 300 * 1024)).build();
        new TestPusher(registry.hostPort()).push("capped/app", "1", image);
    }

    @AfterAll
    static void stop() throws Exception {
        link.close();
        mirror.close();
        registry.close();
    }

    static Cli.Result run(String command, String from, String to) {
        List<String> args = new ArrayList<>(List.of(command, "-q", "--debug"));
        args.addAll(List.of(RANGED));
        args.addAll(List.of(from, to));
        return Cli.run(args.toArray(String[]::new));
    }

    static long rangesAnswered(Cli.Result result, String digest) {
        return result.stderr().lines().filter(l -> l.contains(digest) && l.contains("-> 206")).count();
    }

    @Test
    void aPullThroughTheCappedLinkComesInRangesAndEveryBlobVerifies() throws Exception {
        Path dir = tmp.resolve("layout");

        Cli.Result result = run("pull", "docker://" + link.hostPort() + "/capped/app:1", dir.toString());

        assertEquals(0, result.exitCode(), result.toString());
        var reached = LayoutAssertions.assertEveryReferencedBlobVerifies(dir);
        String layer = image.layers().getFirst().digest().toString();
        assertTrue(reached.contains(image.layers().getFirst().digest()));
        assertTrue(rangesAnswered(result, layer) >= 10, "the large layer came in ranges answered 206 through the proxy");
        assertTrue(reached.contains(image.layers().get(1).digest()), "the small layer came on one connection");
    }

    @Test
    void aPullWithTheDefaultAutoMovesTheLargeLayerFromItsOneConnectionToRangesAndEveryBlobVerifies() throws Exception {
        // 1 MiB/s per connection: after the first half second, five more on one connection
        try (CappedLink slower = CappedLink.start(registry.port(), "1m")) {
            Path dir = tmp.resolve("layout");

            Cli.Result result = Cli.run("pull", "-q", "--debug", "--ranged-fetch-threshold", "1MiB",
                    "--concurrent-layer-fetch-buffer", "512KiB", "docker://" + slower.hostPort() + "/capped/app:1",
                    dir.toString());

            assertEquals(0, result.exitCode(), result.toString());
            var reached = LayoutAssertions.assertEveryReferencedBlobVerifies(dir);
            for (var layer : image.layers()) {
                assertTrue(reached.contains(layer.digest()), "the layout has the layer " + layer.digest());
            }
            assertTrue(rangesAnswered(result, image.layers().getFirst().digest().toString()) >= 4,
                    "the rest of the large layer came in ranges answered 206 through the proxy");
        }
    }

    @Test
    void aCopyThroughTheCappedLinkGivesTheMirrorTheSameImage() throws Exception {
        Cli.Result result = run("copy", "docker://" + link.hostPort() + "/capped/app:1",
                "docker://" + mirror.hostPort() + "/capped/app:1");

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(rangesAnswered(result, image.layers().getFirst().digest().toString()) >= 10, result::stderr);
        Path dir = tmp.resolve("back");
        Cli.Result back = Cli.run("pull", "-q", "docker://" + mirror.hostPort() + "/capped/app:1", dir.toString());
        assertEquals(0, back.exitCode(), back.toString());
        var reached = LayoutAssertions.assertEveryReferencedBlobVerifies(dir);
        for (var layer : image.layers()) {
            assertTrue(reached.contains(layer.digest()), "the mirror has the layer " + layer.digest());
        }
    }
}
