package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.json.Json;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Throttled and failing registries: what is retried, how long ferry waits, what it reports. */
@org.junit.jupiter.api.Timeout(60)
class RetryTest {

    static final String MANIFEST = "/v2/apps/web/manifests/1.0";
    FakeRegistry registry;
    TestImage image;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        image = TestImage.builder().build();
        registry.put("apps/web", "1.0", image);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    /** Answers {@code failure} the first {@code times} times, then the manifest. */
    private void failFirst(String path, int times, MockResponse failure) {
        AtomicInteger seen = new AtomicInteger();
        registry.on(path, request -> seen.incrementAndGet() <= times ? failure
                : new MockResponse.Builder().code(200).addHeader("Content-Type", image.manifest().mediaType())
                        .body(new okio.Buffer().write(image.manifest().bytes())).build());
    }

    @Test
    void aRegistryThatIsBrieflyUnavailableIsRetriedUntilItAnswers() {
        failFirst(MANIFEST, 2, FakeRegistry.error(503, "UNAVAILABLE", "try again"));
        Cli.Result result = Cli.run("inspect", "--no-tags", "--retry-delay", "10ms", registry.ref("apps/web:1.0"));
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(3, registry.count(MANIFEST));
    }

    @Test
    void retryAfterOnATooManyRequestsAnswerIsWaitedOut() {
        failFirst(MANIFEST, 1, new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build());
        Cli.Result result = Cli.run("--debug", "inspect", "--no-tags", "--retry-delay", "10ms", registry.ref("apps/web:1.0"));
        assertEquals(0, result.exitCode(), result.toString());
        // The wait is the one the registry asked for, not --retry-delay's 10 ms.
        assertTrue(result.stderr().contains("debug: retrying GET " + MANIFEST + " (attempt 2 of 4) in 1000 ms"),
                result.stderr());
        assertEquals(2, registry.count(MANIFEST));
    }

    @Test
    void notFoundIsNeverRetried() {
        Cli.Result result = Cli.run("inspect", "--no-tags", registry.ref("apps/web:missing"));
        assertEquals(ExitCodes.NOT_FOUND, result.exitCode(), result.toString());
        assertEquals(1, registry.count("/v2/apps/web/manifests/missing"));
    }

    @Test
    void retryTimesZeroGivesUpAfterTheFirstFailure() {
        failFirst(MANIFEST, 5, FakeRegistry.error(503, "UNAVAILABLE", "try again"));
        Cli.Result result = Cli.run("inspect", "--no-tags", "--retry-times", "0", registry.ref("apps/web:1.0"));
        assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
        assertEquals(1, registry.count(MANIFEST));
    }

    @Test
    void whenTheRetriesRunOutTheLastAnswerIsReported() {
        failFirst(MANIFEST, 10, FakeRegistry.error(503, "UNAVAILABLE", "try again"));
        Cli.Result result = Cli.run("inspect", "--no-tags", "--retry-times", "2", "--retry-delay", "10ms",
                registry.ref("apps/web:1.0"));
        assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("503"), result.stderr());
        assertEquals(3, registry.count(MANIFEST));
    }

    @Test
    void aPullCountsItsRetriesInTheJsonSummaryAndLogsThemWithDebug() {
        String layer = "/v2/apps/web/blobs/" + image.layers().getFirst().digest();
        AtomicInteger seen = new AtomicInteger();
        registry.on(layer, request -> seen.incrementAndGet() == 1 ? FakeRegistry.error(502, "BAD_GATEWAY", "upstream")
                : new MockResponse.Builder().code(200).body(new okio.Buffer().write(image.layers().getFirst().bytes())).build());
        Cli.Result result = Cli.run("--debug", "pull", "-q", "--format", "json", "--retry-delay", "10ms",
                registry.ref("apps/web:1.0"), tmp.resolve("layout").toString());
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(1, Json.MAPPER.readTree(result.stdout()).get("Retries").asLong(), result.stdout());
        assertTrue(result.stderr().contains("retrying GET " + layer), result.stderr());
    }

    @Test
    void aBadRetryDelayIsAUsageError() {
        Cli.Result result = Cli.run("inspect", "--retry-delay", "soon", registry.ref("apps/web:1.0"));
        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    }
}
