package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.TestImage;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --connect-timeout} and {@code --read-timeout} as skopeo's duration flags take them. */
class TimeoutOptionsTest {

    FakeRegistry registry;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void aBlobThatStallsFailsAfterTheReadTimeoutGivenOnTheCommandLine() {
        TestImage image = TestImage.builder().layerTar(Layers.randomTar(3, 512 * 1024)).build();
        registry.put("stall/app", "1", image);
        byte[] layer = image.layers().getFirst().bytes();
        // Half the layer, then a pause far longer than 500 ms but shorter than the default timeout
        // (60 s): were the option not applied, the rest would arrive and the pull succeed.
        registry.on("/v2/stall/app/blobs/" + image.layers().getFirst().digest(), new MockResponse.Builder()
                .body(new Buffer().write(layer)).throttleBody(layer.length / 2, 20, TimeUnit.SECONDS).build());

        Cli.Result result = Cli.run("--read-timeout", "500ms", "--retry-times", "1", "pull", "-q",
                registry.ref("stall/app:1"), tmp.resolve("layout").toString());

        assertEquals(ExitCodes.NETWORK, result.exitCode(), result.toString());
        // Every stall counts against --retry-times, progress or not: the first request and one resume.
        assertEquals(2, registry.count("/v2/stall/app/blobs/" + image.layers().getFirst().digest()),
                "the stalled transfer was resumed once");
    }

    @Test
    void aTimeoutThatIsNotADurationIsAUsageErrorNamingTheOption() {
        Cli.Result result = Cli.run("--read-timeout", "soon", "inspect", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("--read-timeout"), result.stderr());
    }

    @Test
    void aZeroConnectTimeoutIsAUsageError() {
        Cli.Result result = Cli.run("--connect-timeout", "0s", "inspect", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("--connect-timeout"), result.stderr());
    }

    @Test
    void theHelpNamesBothTimeoutsWithTheirDefaults() {
        Cli.Result result = Cli.run("--help");

        assertTrue(result.stdout().contains("--connect-timeout") && result.stdout().contains("default 30s"), result.stdout());
        assertTrue(result.stdout().contains("--read-timeout") && result.stdout().contains("default 60s"), result.stdout());
    }
}
