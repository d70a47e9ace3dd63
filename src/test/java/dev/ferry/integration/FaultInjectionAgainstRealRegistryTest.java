package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.json.Json;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FaultyProxy;
import dev.ferry.testing.Layers;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Pulls and copies through proxies that drop, delay, stall and refuse connections to real
 * registries.
 */
class FaultInjectionAgainstRealRegistryTest {

    static final int ROUNDS = Integer.getInteger("ferry.faultRounds", 5);
    /**
     * Every failed attempt costs the proxy one fault, so with as many retries as faults no request
     * and no blob can run out of attempts: a failed pull is a bug, not bad luck.
     */
    static final int FAULTS_PER_ROUND = 8;

    static LocalRegistry registry;
    static TestImage image;

    @TempDir
    Path tmp;

    @BeforeAll
    static void pushFixture() throws Exception {
        registry = LocalRegistry.start();
        List<byte[]> tars = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tars.add(i % 2 == 0 ? Layers.randomTar(100 + i, (2 + i % 3) * 1024 * 1024) : textTar(i, 3 * 1024 * 1024));
        }
        TestImage.Builder gzip = TestImage.builder();
        TestImage.Builder zstd = TestImage.builder().compression("zstd");
        tars.forEach(tar -> {
            gzip.layerTar(tar);
            zstd.layerTar(tar);
        });
        TestImage gzipped = gzip.build();
        TestImage zstded = zstd.build();
        List<Blob> mixed = new ArrayList<>();
        for (int i = 0; i < tars.size(); i++) {
            mixed.add((i < 3 ? gzipped : zstded).layers().get(i));
        }
        image = gzipped.withLayers(mixed);
        new TestPusher(registry.hostPort()).push("faults/mixed", "1", image);
    }

    /** The digests of the image's layers, which every pull downloads. */
    private static Set<String> layerDigests() {
        Set<String> digests = new TreeSet<>();
        image.layers().forEach(layer -> digests.add(layer.digest().toString()));
        return digests;
    }

    private static byte[] textTar(int seed, int size) {
        java.util.Random random = new java.util.Random(seed);
        String[] words = {"registry", "layer", "manifest", "digest", "blob", "resume", "timeout", "retry", "ferry"};
        StringBuilder text = new StringBuilder(size + 100);
        for (int line = 0; text.length() < size; line++) {
            text.append(line).append(':');
            for (int w = 0; w < 8; w++) {
                text.append(' ').append(words[random.nextInt(words.length)]).append(random.nextInt(1000));
            }
            text.append('\n');
        }
        return Layers.tar(Map.of("text/file-" + seed + ".txt", text.toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aPullThroughDroppedDelayedStalledAndRefusedConnectionsCompletesVerified() throws Exception {
        Map<FaultyProxy.Fault, Integer> total = new EnumMap<>(FaultyProxy.Fault.class);
        long totalRetries = 0;
        int totalTransfers = 0;
        List<String> rounds = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Path layout = tmp.resolve("round-" + round);
            Cli.Result result;
            Map<FaultyProxy.Fault, Integer> counts;
            int connections;
            try (FaultyProxy proxy = FaultyProxy.start(registry.port(), 1000 + round, FAULTS_PER_ROUND, 4_000)) {
                result = Cli.run("pull", "--format", "json", "--read-timeout", "1s", "--retry-delay", "50ms",
                        "--retry-times", String.valueOf(FAULTS_PER_ROUND),
                        "docker://" + proxy.hostPort() + "/faults/mixed:1", layout.toString());
                counts = proxy.counts();
                connections = proxy.connections();
            }
            assertEquals(0, result.exitCode(), "round " + round + " faults " + counts + ": " + result);
            JsonNode summary = Json.MAPPER.readTree(result.stdout());
            assertEquals(image.digest().toString(), summary.get("Digest").asString());
            assertEquals(image.digest().toString(),
                    LayoutAssertions.index(layout).get("manifests").get(0).get("digest").asString());
            assertEquals(1 + 1 + 6, LayoutAssertions.assertEveryReferencedBlobVerifies(layout).size());
            int transfers = 0;
            Set<String> downloaded = new TreeSet<>();
            for (JsonNode blob : summary.get("Blobs")) {
                assertEquals("fetched", blob.get("Status").asString(), result.stdout());
                downloaded.add(blob.get("Digest").asString());
                transfers++;
            }
            assertTrue(downloaded.containsAll(layerDigests()), "every layer was fetched: " + result.stdout());
            assertEquals(downloaded.size(), transfers, "each blob once: " + result.stdout());
            long retries = summary.get("Retries").asLong();
            counts.forEach((fault, n) -> total.merge(fault, n, Integer::sum));
            totalRetries += retries;
            totalTransfers += transfers;
            rounds.add("round " + round + ": faults " + counts + ", connections " + connections + ", transfers "
                    + transfers + ", retries " + retries + ", seconds " + summary.get("Seconds").asDouble());
        }
        String report = "faults " + total + ", transfers completed " + totalTransfers + ", retries reported "
                + totalRetries + " over " + ROUNDS + " rounds:\n" + String.join("\n", rounds);
        for (FaultyProxy.Fault fault : FaultyProxy.Fault.values()) {
            assertTrue(total.getOrDefault(fault, 0) > 0, "no " + fault + " fault was injected: " + report);
        }
        // Each round's summary lists the config beside the layers.
        assertEquals(ROUNDS * (layerDigests().size() + 1), totalTransfers, report);
        // Every 503 the proxy answered is a retryable answer: the summaries must have counted them.
        assertTrue(totalRetries >= total.get(FaultyProxy.Fault.UNAVAILABLE), report);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aCopyBetweenRegistriesThroughFaultyProxiesOnBothSidesArrivesWithTheSourceDigest() throws Exception {
        Map<FaultyProxy.Fault, Integer> total = new EnumMap<>(FaultyProxy.Fault.class);
        long totalRetries = 0;
        int rounds = Math.max(2, ROUNDS / 2);
        try (LocalRegistry target = LocalRegistry.start()) {
            for (int round = 0; round < rounds; round++) {
                Cli.Result result;
                try (FaultyProxy from = FaultyProxy.start(registry.port(), 2000 + round, FAULTS_PER_ROUND / 2, 4_000);
                     FaultyProxy to = FaultyProxy.start(target.port(), 3000 + round, FAULTS_PER_ROUND / 2, 4_000)) {
                    result = Cli.run("copy", "--format", "json", "--read-timeout", "1s", "--retry-delay", "50ms",
                            "--retry-times", String.valueOf(FAULTS_PER_ROUND),
                            "docker://" + from.hostPort() + "/faults/mixed:1",
                            "docker://" + to.hostPort() + "/copied" + round + "/mixed:1");
                    from.counts().forEach((fault, n) -> total.merge(fault, n, Integer::sum));
                    to.counts().forEach((fault, n) -> total.merge(fault, n, Integer::sum));
                    assertEquals(0, result.exitCode(), "round " + round + " faults " + from.counts() + " / "
                            + to.counts() + ": " + result);
                }
                JsonNode summary = Json.MAPPER.readTree(result.stdout());
                assertEquals(image.digest().toString(), summary.get("Digest").asString());
                for (JsonNode blob : summary.get("Blobs")) {
                    assertEquals("fetched", blob.get("Status").asString(), result.stdout());
                }
                totalRetries += summary.get("Retries").asLong() + summary.get("Resumes").asLong();
                // What arrived, read back straight from the destination (no proxy) and verified.
                Path layout = tmp.resolve("copied-" + round);
                Cli.Result back = Cli.run("pull", "-q", "docker://" + target.hostPort() + "/copied" + round
                        + "/mixed:1", layout.toString());
                assertEquals(0, back.exitCode(), back.toString());
                assertEquals(image.digest().toString(),
                        LayoutAssertions.index(layout).get("manifests").get(0).get("digest").asString());
                assertEquals(1 + 1 + 6, LayoutAssertions.assertEveryReferencedBlobVerifies(layout).size());
            }
        }
        String report = "faults " + total + ", copies completed " + rounds + ", retries and resumes reported "
                + totalRetries;
        assertTrue(total.values().stream().mapToInt(Integer::intValue).sum() > 0, "no fault was injected: " + report);
        assertTrue(totalRetries > 0, "the injected faults were retried and counted: " + report);
    }
}
