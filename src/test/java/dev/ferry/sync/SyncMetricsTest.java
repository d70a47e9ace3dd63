package dev.ferry.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.reference.ImageReference;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class SyncMetricsTest {

    static final OkHttpClient HTTP = new OkHttpClient();

    static String get(int port, String path, int expectedStatus) throws Exception {
        try (Response r = HTTP.newCall(new Request.Builder().url("http://127.0.0.1:" + port + path).build()).execute()) {
            assertEquals(expectedStatus, r.code(), path);
            return r.body().string();
        }
    }

    @Test
    void roundsImagesBytesAndRequestsAreServedAsPrometheusMetricsAndHealthFollowsTheLastRound() throws Exception {
        try (FakeRegistry hub = FakeRegistry.start(); FakeRegistry target = FakeRegistry.start()) {
            hub.put("m/app", "1", TestImage.builder().layer(Map.of("x", "metrics")).build());
            SyncRule rule = new SyncRule(ImageReference.parseRepository(hub.hostPort() + "/m/app"), List.of("1"),
                    List.of(), List.of(), new Target.RegistryRepo(ImageReference.parseRepository(target.hostPort()
                            + "/m/app"), null), null);
            SyncConfig config = new SyncConfig(SyncSettings.defaults(), Map.of(),
                    List.of(hub.hostPort(), target.hostPort()), List.of(rule));
            try (Syncer syncer = new Syncer(config, Shard.ALL, Map.of(), null, Duration.ofSeconds(10));
                    SyncMetrics metrics = new SyncMetrics("127.0.0.1:0", syncer)) {
                get(metrics.port(), "/healthz", 503);
                for (int i = 0; i < 2; i++) {
                    metrics.round(syncer.round(metrics::image, () -> false));
                }
                get(metrics.port(), "/healthz", 200);
                String text = get(metrics.port(), "/metrics", 200);
                assertTrue(text.contains("ferry_sync_rounds_total 2.0"), text);
                assertTrue(text.contains("ferry_sync_images_total{outcome=\"copied\"} 1.0"), text);
                assertTrue(text.contains("ferry_sync_images_total{outcome=\"up-to-date\"} 1.0"), text);
                assertTrue(text.contains("ferry_sync_requests_total{method=\"HEAD\",registry=\"" + hub.hostPort()
                        + "\"} 2.0"), text);
                assertTrue(text.lines().anyMatch(l -> l.startsWith("ferry_sync_bytes_total ") && !l.endsWith(" 0.0")), text);
                assertTrue(text.contains("ferry_sync_last_success_timestamp_seconds"), text);
                get(metrics.port(), "/elsewhere", 404);
            }
        }
    }
}
