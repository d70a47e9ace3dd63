package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.Cli;
import dev.ferry.testing.Layers;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real registry answers range requests as ranged fetch expects: pull and copy in ranges give the image. */
class RangedFetchAgainstRealRegistryTest {

    static final String[] RANGED = {"--ranged-fetch-threshold", "1KiB", "--concurrent-layer-fetch-buffer", "64KiB",
            "--max-concurrent-downloads-per-layer", "4"};

    static LocalRegistry registry;
    static LocalRegistry mirror;
    static TestImage image;

    @TempDir
    Path tmp;

    @BeforeAll
    static void pushFixture() throws Exception {
        registry = LocalRegistry.start();
        mirror = LocalRegistry.start();
        image = TestImage.builder().compression("gzip").layerTar(Layers.randomTar(31, 1536 * 1024))
                .layerTar(Layers.randomTar(32, 700 * 1024)).build();
        new TestPusher(registry.hostPort()).push("ranged/app", "1", image);
    }

    @AfterAll
    static void stop() throws Exception {
        mirror.close();
        registry.close();
    }

    Cli.Result run(String command, String from, String to) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(command, "-q", "--debug"));
        args.addAll(java.util.List.of(RANGED));
        args.addAll(java.util.List.of(from, to));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void aPullInRangesStoresEveryBlobVerified() throws Exception {
        Path dir = tmp.resolve("layout");

        Cli.Result result = run("pull", "docker://" + registry.hostPort() + "/ranged/app:1", dir.toString());

        assertEquals(0, result.exitCode(), result.toString());
        var reached = LayoutAssertions.assertEveryReferencedBlobVerifies(dir);
        String layer = image.layers().getFirst().digest().toString();
        assertTrue(reached.contains(image.layers().getFirst().digest()));
        long ranges = result.stderr().lines().filter(l -> l.contains(layer) && l.contains("-> 206")).count();
        assertTrue(ranges >= 10, "the layer came in ranges answered 206: " + ranges);
    }

    @Test
    void aCopyInRangesGivesTheMirrorTheSameImage() throws Exception {
        Cli.Result result = run("copy", "docker://" + registry.hostPort() + "/ranged/app:1",
                "docker://" + mirror.hostPort() + "/ranged/app:1");

        assertEquals(0, result.exitCode(), result.toString());
        Path dir = tmp.resolve("back");
        Cli.Result back = Cli.run("pull", "-q", "docker://" + mirror.hostPort() + "/ranged/app:1", dir.toString());
        assertEquals(0, back.exitCode(), back.toString());
        LayoutAssertions.assertEveryReferencedBlobVerifies(dir);
    }
}
