package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.HostileServer;
import dev.ferry.testing.Layers;
import dev.ferry.testing.TestImage;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Senders that never trip a gap timeout: informational answers without end, bodies dripped a byte
 * at a time, blobs slower than the minimum rate, a token service that says nothing. Each ends with
 * exit 6 and one line naming what was being read, the host and the limit.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileSendersTest {

    /**
     * Small limits, so that the tests end quickly (the grace leaves a loaded machine time for what
     * must succeed); no retries, so that one failure is the outcome.
     */
    static final String[] LIMITS = {"--read-timeout", "1s", "--deadline-grace", "3s", "--retry-times", "0"};

    FakeRegistry registry;
    TestImage image = TestImage.builder().layerTar(Layers.randomTar(1, 64 * 1024)).build();

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put("apps/web", "1", image);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private static Cli.Result run(String... args) {
        String[] all = new String[LIMITS.length + args.length];
        System.arraycopy(LIMITS, 0, all, 0, LIMITS.length);
        System.arraycopy(args, 0, all, LIMITS.length, args.length);
        return Cli.run(all);
    }

    @Test
    void anEndlessStreamOfEarlyHintsEndsAtTheDeadlineNamingTheHost() throws Exception {
        try (HostileServer hints = HostileServer.start(HostileServer.earlyHintsForever(50))) {
            Cli.Result result = run("inspect", "docker://" + hints.hostPort() + "/apps/web:1");

            assertEquals(ExitCodes.NETWORK, result.exitCode(), result.toString());
            assertTrue(result.stderr().contains(hints.hostPort()), result.stderr());
            assertTrue(result.stderr().contains("timed out: did not finish within 3 s"), result.stderr());
            assertEquals(1, result.stderr().lines().count(), result.stderr());
        }
    }

    @Test
    void anAnswerDrippedAByteAtATimeEndsAtTheGraceDeadline() throws Exception {
        // A byte every 50 ms: the read timeout of 1 s never passes, and 10,000 bytes would take 500 s.
        try (HostileServer drip = HostileServer.start(HostileServer.drip(10_000, 50))) {
            Cli.Result result = run("list-tags", "docker://" + drip.hostPort() + "/apps/web");

            assertEquals(ExitCodes.NETWORK, result.exitCode(), result.toString());
            assertTrue(result.stderr().contains(drip.hostPort()) && result.stderr().contains("within 3 s"),
                    result.stderr());
        }
    }

    @Test
    void aManifestDrippedSlowlyEndsAtTheGraceDeadlineNamingTheImage() {
        registry.on("/v2/apps/web/manifests/1", new MockResponse.Builder()
                .addHeader("Content-Type", image.manifest().mediaType())
                .body(new Buffer().write(image.manifest().bytes()))
                .throttleBody(1, 50, TimeUnit.MILLISECONDS).build()); // some 500 bytes: 25 s

        Cli.Result result = run("inspect", "--no-tags", registry.ref("apps/web:1"));

        assertEquals(ExitCodes.NETWORK, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("manifest " + registry.hostPort() + "/apps/web:1"), result.stderr());
        assertTrue(result.stderr().contains("within 3 s"), result.stderr());
    }

    @Test
    void aBlobSlowerThanTheMinimumRateFailsNamingTheBlobTheHostAndTheRate() {
        // 64 KiB at 10 KiB/s takes over 6 s; at the minimum of 64 KiB/s it may take 3 s + 1 s.
        byte[] layer = image.layers().getFirst().bytes();
        registry.on("/v2/apps/web/blobs/" + image.layers().getFirst().digest(), new MockResponse.Builder()
                .body(new Buffer().write(layer)).throttleBody(1024, 100, TimeUnit.MILLISECONDS).build());

        Cli.Result result = run("--min-rate", "64KiB", "pull", "-q", registry.ref("apps/web:1"),
                tmp.resolve("layout").toString());

        assertEquals(ExitCodes.NETWORK, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains(image.layers().getFirst().digest().toString()), result.stderr());
        assertTrue(result.stderr().contains(registry.hostPort()), result.stderr());
        assertTrue(result.stderr().contains("minimum rate of 64 KiB/s"), result.stderr());
    }

    @Test
    void aBlobSteadilyFasterThanTheMinimumRateIsNotCut() {
        // 64 KiB at 80 KiB/s, with a minimum of 16 KiB/s: 0.8 s of a deadline of 7 s.
        byte[] layer = image.layers().getFirst().bytes();
        registry.on("/v2/apps/web/blobs/" + image.layers().getFirst().digest(), new MockResponse.Builder()
                .body(new Buffer().write(layer)).throttleBody(4096, 50, TimeUnit.MILLISECONDS).build());

        Cli.Result result = run("--min-rate", "16KiB", "pull", "-q", registry.ref("apps/web:1"),
                tmp.resolve("layout").toString());

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    }

    @Test
    void aSilentTokenServiceIsNamedWithTheRegistryAndTheImage() throws Exception {
        try (FakeRegistry issuer = FakeRegistry.start()) {
            registry.tokenIssuer = issuer;
            issuer.on("/token", new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());

            Cli.Result result = run("inspect", "--no-tags", registry.ref("apps/web:1"));

            assertEquals(ExitCodes.NETWORK, result.exitCode(), result.toString());
            assertTrue(result.stderr().contains("token service http://" + issuer.hostPort() + "/token did not answer "
                    + "for registry " + registry.hostPort() + " (image " + registry.hostPort() + "/apps/web) within"),
                    result.stderr());
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"fast", "0", "999999999999999GiB", "-5"})
    void aMinimumRateThatIsNotAUsableRateIsAUsageErrorNamingTheOption(String rate) {
        Cli.Result result = Cli.run("--min-rate", rate, "inspect", registry.ref("apps/web:1"));

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("--min-rate"), result.stderr());
    }

    @Test
    void theHelpNamesTheMinimumRateAndTheGracePeriod() {
        Cli.Result result = Cli.run("--help");

        assertTrue(result.stdout().contains("--min-rate") && result.stdout().contains("--deadline-grace"), result.stdout());
    }
}
