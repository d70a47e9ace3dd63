package dev.ferry.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.reference.ImageReference;
import dev.ferry.testing.Blob;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fake "hub" that counts requests and sends Docker Hub's rate-limit headers, and a fake target:
 * the workers share one budget per registry, pause at the floor, and honour Retry-After together.
 */
class SyncPolitenessTest {

    static final int IMAGES = 6;

    FakeRegistry hub;
    FakeRegistry target;
    final List<TestImage> images = new ArrayList<>();
    final List<Long> sleeps = new CopyOnWriteArrayList<>();
    final RequestBudget.Sleeper recording = nanos -> {
        sleeps.add(nanos);
        TimeUnit.NANOSECONDS.sleep(nanos);
    };

    @BeforeEach
    void start() throws Exception {
        hub = FakeRegistry.start();
        target = FakeRegistry.start();
        for (int i = 0; i < IMAGES; i++) {
            TestImage image = TestImage.builder().layer(Map.of("n", "image " + i)).build();
            images.add(image);
            hub.put("hub/app" + i, "latest", image);
        }
    }

    @AfterEach
    void stop() throws Exception {
        hub.close();
        target.close();
    }

    SyncConfig config(SyncSettings settings) {
        List<SyncRule> rules = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            rules.add(new SyncRule(ImageReference.parseRepository(hub.hostPort() + "/hub/app" + i), List.of("latest"),
                    List.of(), List.of(), new Target.RegistryRepo(ImageReference.parseRepository(target.hostPort()
                            + "/mirror/app" + i), null), null));
        }
        return new SyncConfig(settings, Map.of(), List.of(hub.hostPort(), target.hostPort()), rules);
    }

    RoundReport round(SyncSettings settings, List<ImageReport> out) {
        try (Syncer syncer = new Syncer(config(settings), Shard.ALL, Map.of(), null, Duration.ofSeconds(10), recording)) {
            return syncer.round(out::add, () -> false);
        }
    }

    /** Answers manifest requests as the hub does, with {@code ratelimit-remaining} counting down from 100. */
    void rateLimitHeaders(AtomicInteger remaining) {
        for (String method : List.of("HEAD", "GET")) {
            hub.intercept(method, "/v2/hub/app[0-9]+/manifests/.*", request -> {
                String path = request.getUrl().encodedPath();
                String repo = path.substring("/v2/".length(), path.indexOf("/manifests/"));
                Blob manifest = hub.manifest(repo, path.substring(path.lastIndexOf('/') + 1));
                int left = method.equals("GET") ? remaining.decrementAndGet() : remaining.get();
                MockResponse.Builder answer = new MockResponse.Builder()
                        .addHeader("Docker-Content-Digest", manifest.digest().toString())
                        .addHeader("Content-Type", manifest.mediaType())
                        .addHeader("ratelimit-limit", "100;w=21600")
                        .addHeader("ratelimit-remaining", left + ";w=21600");
                return method.equals("HEAD") ? answer.setHeader("Content-Length", manifest.bytes().length).build()
                        : answer.body(new Buffer().write(manifest.bytes())).build();
            });
        }
    }

    @Test
    void anUnchangedRoundSpendsNoPullsOfTheHubOnlyHeads() {
        AtomicInteger remaining = new AtomicInteger(100);
        rateLimitHeaders(remaining);
        List<ImageReport> first = new ArrayList<>();
        assertEquals(IMAGES, round(SyncSettings.defaults(), first).copied(), first.toString());
        assertEquals(100 - IMAGES, remaining.get(), "one manifest GET per image on the first round");

        int getsBefore = hub.count("GET", "/v2/hub/.*/manifests/.*");
        int blobsBefore = hub.count("GET", "/v2/hub/.*/blobs/.*");
        List<ImageReport> second = new ArrayList<>();
        RoundReport report = round(SyncSettings.defaults(), second);
        assertEquals(IMAGES, report.upToDate(), second.toString());
        assertEquals(getsBefore, hub.count("GET", "/v2/hub/.*/manifests/.*"));
        assertEquals(blobsBefore, hub.count("GET", "/v2/hub/.*/blobs/.*"));
        assertEquals(100 - IMAGES, remaining.get(), "no pull spent when nothing changed");
        second.forEach(r -> assertEquals(2L, r.requests().get("HEAD"), r.toString()));
        // the only GETs are the two pings (GET /v2/) a new process sends, one per registry
        assertEquals(2L, second.stream().mapToLong(r -> r.requests().getOrDefault("GET", 0L)).sum(), second.toString());
    }

    @Test
    void theFloorOfRemainingPullsPausesEveryWorker() {
        AtomicInteger remaining = new AtomicInteger(IMAGES / 2 + 3);
        rateLimitHeaders(remaining);
        SyncSettings settings = new SyncSettings(3, null, 3, Duration.ofMillis(700), 0, 8);
        List<ImageReport> out = new ArrayList<>();
        RoundReport report = round(settings, out);
        assertEquals(IMAGES, report.copied(), out.toString());
        assertTrue(report.pauses() >= 1, report.toString());
        assertTrue(sleeps.stream().anyMatch(n -> n > Duration.ofMillis(100).toNanos() && n <= Duration.ofMillis(700).toNanos()),
                "a worker waited out the floor pause: " + sleeps);
    }

    @Test
    void aTooManyRequestsAnswerWithRetryAfterPausesAllWorkersAndEveryImageStillArrives() {
        AtomicInteger refused = new AtomicInteger();
        hub.intercept("HEAD", "/v2/hub/app0/manifests/.*", request -> refused.getAndIncrement() == 0
                ? new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build() : null);
        List<ImageReport> out = new ArrayList<>();
        RoundReport report = round(new SyncSettings(3, null, 0, Duration.ofSeconds(1), 0, 8), out);
        assertEquals(IMAGES, report.copied(), out.toString());
        assertEquals(2, hub.count("HEAD", "/v2/hub/app0/manifests/latest"), "the refused HEAD was sent again");
        assertTrue(report.pauses() >= 1, report.toString());
    }

    @Test
    void requestsPerSecondSpacesTheRequestsOfAllWorkers() {
        List<ImageReport> out = new ArrayList<>();
        RoundReport report = round(new SyncSettings(4, null, 0, Duration.ZERO, 20, 8), out);
        assertEquals(IMAGES, report.copied(), out.toString());
        assertTrue(sleeps.size() >= hub.count("HEAD", "/v2/hub/.*/manifests/.*") / 2,
                "workers waited for rate slots: " + sleeps.size());
    }

    @Test
    void oneFailingImageNeverStopsTheOthers() {
        hub.intercept("GET", "/v2/hub/app3/blobs/.*", request -> FakeRegistry.json(500, "{}"));
        List<ImageReport> out = new ArrayList<>();
        RoundReport report = round(new SyncSettings(2, null, 0, Duration.ZERO, 0, 8), out);
        assertEquals(1, report.failed(), out.toString());
        assertEquals(IMAGES - 1, report.copied(), out.toString());
        assertTrue(out.stream().anyMatch(r -> r.status().equals(ImageReport.FAILED) && r.source().contains("hub/app3")));
    }
}
