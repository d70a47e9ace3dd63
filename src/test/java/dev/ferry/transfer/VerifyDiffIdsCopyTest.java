package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.cli.ExitCodes;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.TestImage;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code copy --verify-diff-ids}: layers inflated while they stream between registries. */
@org.junit.jupiter.api.Timeout(60)
class VerifyDiffIdsCopyTest {

    final TestImage image = TestImage.builder().layerTar(Layers.randomTar(4, 300 * 1024))
            .layer(Map.of("etc/motd", "hello\n")).build();
    /** The same layers under a config that promises other diff_ids: every digest matches, the content does not. */
    final TestImage lying = image.withConfig(TestImage.builder().layer(Map.of("a", "1\n")).layer(Map.of("b", "2\n"))
            .build());

    FakeRegistry source;
    FakeRegistry destination;

    @BeforeEach
    void start() throws Exception {
        source = FakeRegistry.start();
        destination = FakeRegistry.start();
        source.put("apps/web", "1", image);
        source.put("apps/lying", "1", lying);
    }

    @AfterEach
    void stop() {
        source.close();
        destination.close();
    }

    @Test
    void aSoundImageCopiesWithTheCheckAndKeepsItsDigest() {
        Cli.Result result = Cli.run("copy", "-q", "--verify-diff-ids", source.ref("apps/web:1"),
                destination.ref("mirror/web:1"));

        assertEquals(0, result.exitCode(), result.toString());
        assertArrayEquals(image.manifest().bytes(), destination.manifest("mirror/web", "1").bytes());
        for (Blob layer : image.layers()) {
            assertArrayEquals(layer.bytes(), destination.blob("mirror/web", layer.digest()));
        }
    }

    @Test
    void aLayerThatIsNotWhatTheConfigPromisesFailsWithTheCheckAndNoManifestIsPushed() {
        Cli.Result result = Cli.run("copy", "-q", "--verify-diff-ids", source.ref("apps/lying:1"),
                destination.ref("mirror/lying:1"));

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("diff_id mismatch"), result.stderr());
        assertEquals(0, destination.pushedManifests().size(), "no manifest is pushed");
    }

    @Test
    void withoutTheCheckARegistryCopyMovesTheBytesItIsGivenAsBefore() {
        Cli.Result result = Cli.run("copy", "-q", source.ref("apps/lying:1"), destination.ref("mirror/lying:1"));

        assertEquals(0, result.exitCode(), result.toString());
        assertArrayEquals(lying.manifest().bytes(), destination.manifest("mirror/lying", "1").bytes());
    }
}
