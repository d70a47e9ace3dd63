package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.Cli;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's docker-registry in proxy mode ({@code proxy.remoteurl}) in front of a source registry,
 * as a fleet's pull-through cache: one {@code ferry sync} round through it warms it, and it then
 * serves every image with the source stopped.
 */
class SyncWarmsPullThroughCacheTest {

    @TempDir
    Path dir;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static Process proxy(Path dir, int port, String upstream) throws Exception {
        Path config = dir.resolve("proxy.yml");
        Files.writeString(config, """
                version: 0.1
                log: {level: error, accesslog: {disabled: true}}
                storage: {filesystem: {rootdirectory: %s}}
                http: {addr: "127.0.0.1:%d", secret: ferry-test-secret}
                proxy: {remoteurl: "http://%s"}
                """.formatted(dir.resolve("proxy-storage"), port, upstream));
        Process p = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("proxy.log").toFile()).start();
        OkHttpClient http = new OkHttpClient();
        for (int i = 0; i < 100; i++) {
            try (Response r = http.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/v2/").build()).execute()) {
                if (r.code() == 200) {
                    return p;
                }
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("the proxy registry did not start: " + Files.readString(dir.resolve("proxy.log")));
    }

    @Test
    void oneSyncRoundThroughTheCacheWarmsItAndItServesEveryImageWithTheSourceStopped() throws Exception {
        List<String> tags = List.of("1", "2", "3");
        int port = freePort();
        String cache = "127.0.0.1:" + port;
        Process proxy;
        try (LocalRegistry source = LocalRegistry.start()) {
            TestPusher pusher = new TestPusher(source.hostPort());
            for (String tag : tags) {
                pusher.push("cached/app", tag, TestImage.builder().layer(Map.of("c", "cached " + tag)).build());
            }
            proxy = proxy(dir, port, source.hostPort());
            Path config = dir.resolve("warm.yaml");
            Files.writeString(config, """
                    creds:
                      - {registry: "%s", tls: disabled}
                    sync:
                      - {source: "%s/cached/app", target: "oci:%s", type: repository}
                    """.formatted(cache, cache, dir.resolve("warm-layout")));
            Cli.Result warm = Cli.run("sync", config.toString());
            assertEquals(0, warm.exitCode(), warm.toString());
            assertTrue(warm.stdout().contains("3 copied"), warm.stdout());
        }
        try {
            // the source is stopped: every image now comes from the cache alone
            for (String tag : tags) {
                Path layout = dir.resolve("from-cache-" + tag);
                Cli.Result copy = Cli.run("copy", "--src-tls-verify=false", "docker://" + cache + "/cached/app:" + tag,
                        "oci:" + layout + ":" + tag);
                assertEquals(0, copy.exitCode(), copy.toString());
                LayoutAssertions.assertEveryReferencedBlobVerifies(layout);
            }
        } finally {
            proxy.destroy();
            proxy.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
