package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.json.Json;
import dev.ferry.manifest.LayerMediaTypes;
import dev.ferry.testing.Blob;
import dev.ferry.testing.FaultyProxy;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.Layers;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * ferry sync as separate processes: shards run at once, a worker killed with SIGKILL or stopped
 * with SIGTERM mid-blob, two agents on one layout.
 */
class SyncWorkersAgainstRealRegistriesTest extends TwoRegistriesSyncTest {

    /** A layer of random letters, so that it does not compress and takes a while through a throttled proxy. */
    static TestImage bigImage(int bytes, long seed) {
        return TestImage.builder().compression("none").layerTar(bigLayer(bytes, seed).bytes()).build();
    }

    static Blob bigLayer(int bytes, long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        while (text.length() < bytes) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return new Blob(LayerMediaTypes.OCI_TAR, Layers.tar(Map.of("big", text.toString())));
    }

    static List<JsonNode> jsonLines(Path file) throws Exception {
        return Files.readAllLines(file).stream().map(l -> Json.MAPPER.readTree(l)).toList();
    }

    @Test
    void shardProcessesRunAtOnceSplitThePlanDisjointlyAndTogetherFillTheTarget() throws Exception {
        TestPusher pusher = new TestPusher(source.hostPort());
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            pusher.push("fleet/app" + i, "1", TestImage.builder().layer(Map.of("f", "app " + i)).build());
            entries.append("  - {source: \"%s/fleet/app%d:1\", target: \"%s/fleet/app%d\"}\n"
                    .formatted(source.hostPort(), i, target.hostPort(), i));
        }
        Path file = config(source.hostPort(), entries.toString());
        int n = 3;
        List<Process> workers = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path out = dir.resolve("shard" + i + ".out");
            outputs.add(out);
            workers.add(FerryProcess.start(out, dir.resolve("shard" + i + ".err"), "sync", "--shard", i + "/" + n,
                    "--format", "json", file.toString()));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            assertTrue(workers.get(i).waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, workers.get(i).exitValue(), Files.readString(dir.resolve("shard" + i + ".err")));
            for (JsonNode line : jsonLines(outputs.get(i))) {
                if (line.has("status")) {
                    assertEquals("copied", line.path("status").asString(), line.toString());
                    assertTrue(seen.add(line.path("source").asString()), "two shards took " + line);
                }
            }
        }
        assertEquals(12, seen.size(), seen.toString());
        for (int i = 0; i < 12; i++) {
            assertEquals(SyncAgainstRealRegistriesTest.digestAt(source.hostPort(), "fleet/app" + i, "1"),
                    SyncAgainstRealRegistriesTest.digestAt(target.hostPort(), "fleet/app" + i, "1"));
        }
    }

    @Test
    void aWorkerKilledMidBlobLeavesNoImageAndARerunCompletesIt() throws Exception {
        TestImage image = bigImage(3 << 20, 1);
        new TestPusher(source.hostPort()).push("killed/app", "1", image);
        try (FaultyProxy slow = FaultyProxy.start(source.port(), 1, 0, 0).throttle(256 * 1024)) {
            Path file = config(slow.hostPort(), """
                      - {source: "%s/killed/app:1", target: "%s/killed/app"}
                    """.formatted(slow.hostPort(), target.hostPort()));
            Process worker = FerryProcess.start(dir.resolve("k.out"), dir.resolve("k.err"), "sync", file.toString());
            // the layer takes about 12 seconds through the proxy: wait until its download has begun
            for (int i = 0; i < 200 && slow.connections() < 2; i++) {
                Thread.sleep(50);
            }
            Thread.sleep(1500);
            worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertNull(SyncAgainstRealRegistriesTest.digestAt(target.hostPort(), "killed/app", "1"),
                    "no manifest before every blob arrived");
            slow.throttle(0);
            var rerun = FerryProcess.run(dir, "sync", file.toString());
            assertEquals(0, rerun.exitCode(), rerun.toString());
        }
        assertEquals(image.digest().toString(), SyncAgainstRealRegistriesTest.digestAt(target.hostPort(), "killed/app", "1"));
    }

    @Test
    void anAgentKilledMidBlobLeavesItsLayoutReadableAndARerunCompletesIt() throws Exception {
        TestImage image = bigImage(3 << 20, 3);
        new TestPusher(source.hostPort()).push("layout-killed/app", "1", image);
        Path layout = dir.resolve("killed-layout");
        try (FaultyProxy slow = FaultyProxy.start(source.port(), 1, 0, 0).throttle(256 * 1024)) {
            Path file = config(slow.hostPort(), """
                      - {source: "%s/layout-killed/app:1", target: "oci:%s"}
                    """.formatted(slow.hostPort(), layout));
            Process agent = FerryProcess.start(dir.resolve("lk.out"), dir.resolve("lk.err"), "sync", file.toString());
            for (int i = 0; i < 200 && slow.connections() < 2; i++) {
                Thread.sleep(50);
            }
            Thread.sleep(1500);
            agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            if (Files.exists(layout.resolve("index.json"))) {
                assertEquals(0, LayoutAssertions.index(layout).path("manifests").size(), "no image named before its blobs");
            }
            slow.throttle(0);
            var rerun = FerryProcess.run(dir, "sync", file.toString());
            assertEquals(0, rerun.exitCode(), rerun.toString());
        }
        LayoutAssertions.assertEveryReferencedBlobVerifies(layout);
        assertEquals(image.digest().toString(),
                LayoutAssertions.index(layout).path("manifests").get(0).path("digest").asString());
    }

    @Test
    void sigtermMidBlobEndsTheAgentWithALayoutHoldingOnlyVerifiedBlobs() throws Exception {
        TestImage image = bigImage(3 << 20, 2);
        new TestPusher(source.hostPort()).push("termed/app", "1", image);
        Path layout = dir.resolve("layout");
        try (FaultyProxy slow = FaultyProxy.start(source.port(), 1, 0, 0).throttle(128 * 1024)) {
            Path file = config(slow.hostPort(), """
                      - {source: "%s/termed/app", target: "oci:%s", type: repository}
                    """.formatted(slow.hostPort(), layout));
            Process agent = FerryProcess.start(dir.resolve("t.out"), dir.resolve("t.err"), "sync", "--interval", "1h",
                    file.toString());
            for (int i = 0; i < 200 && slow.connections() < 2; i++) {
                Thread.sleep(50);
            }
            Thread.sleep(1500);
            agent.destroy(); // SIGTERM
            assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent ends after SIGTERM");
        }
        // nothing half-written: every blob file is complete and verified, and index.json (if any)
        // names only complete images
        if (Files.exists(layout.resolve("index.json"))) {
            LayoutAssertions.assertEveryReferencedBlobVerifies(layout);
        }
        if (Files.isDirectory(layout.resolve("blobs/sha256"))) {
            try (var files = Files.list(layout.resolve("blobs/sha256"))) {
                for (Path blob : files.toList()) {
                    assertEquals("sha256:" + blob.getFileName(), LayoutAssertions.hash(blob).toString(), blob.toString());
                }
            }
        }
        var rerun = FerryProcess.run(dir, "sync", config(source.hostPort(), """
                  - {source: "%s/termed/app", target: "oci:%s", type: repository}
                """.formatted(source.hostPort(), layout)).toString());
        assertEquals(0, rerun.exitCode(), rerun.toString());
        LayoutAssertions.assertEveryReferencedBlobVerifies(layout);
    }

    @Test
    void twoAgentsOnOneLayoutKeepEachOthersImages() throws Exception {
        TestPusher pusher = new TestPusher(source.hostPort());
        for (int i = 0; i < 4; i++) {
            pusher.push("pair/a", "t" + i, TestImage.builder().layer(Map.of("a", "a" + i)).build());
            pusher.push("pair/b", "t" + i, TestImage.builder().layer(Map.of("b", "b" + i)).build());
        }
        Path layout = dir.resolve("shared-layout");
        Process a = FerryProcess.start(dir.resolve("a.out"), dir.resolve("a.err"), "sync", config(source.hostPort(), """
                  - {source: "%s/pair/a", target: "oci:%s", type: repository, prune: true}
                """.formatted(source.hostPort(), layout)).toString());
        Process b = FerryProcess.start(dir.resolve("b.out"), dir.resolve("b.err"), "sync", config(source.hostPort(), """
                  - {source: "%s/pair/b", target: "oci:%s", type: repository, prune: true}
                """.formatted(source.hostPort(), layout)).toString());
        assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, a.exitValue(), Files.readString(dir.resolve("a.err")));
        assertEquals(0, b.exitValue(), Files.readString(dir.resolve("b.err")));
        JsonNode index = LayoutAssertions.index(layout);
        Set<String> names = new HashSet<>();
        index.path("manifests").forEach(m -> names.add(m.path("annotations").path("org.opencontainers.image.ref.name").asString()));
        for (int i = 0; i < 4; i++) {
            assertTrue(names.contains("pair/a:t" + i) && names.contains("pair/b:t" + i), names.toString());
        }
        assertNotNull(LayoutAssertions.assertEveryReferencedBlobVerifies(layout));
    }
}
