package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.reference.ImageReference;
import dev.ferry.sync.Shard;
import dev.ferry.testing.FaultyProxy;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ferry sync processes ended from outside: one shard of a plan killed with SIGKILL while the
 * others go on, and a {@code --once} run stopped with SIGTERM. Big layers pass a throttled proxy,
 * so that the signal arrives while a blob is under way.
 */
class SyncSignalsAgainstRealRegistriesTest extends TwoRegistriesSyncTest {

    /** What the JVM exits with after SIGTERM (128 + 15), in both modes; README's exit-code table. */
    static final int TERMINATED = 143;

    /** Waits until the proxy has seen {@code n} connections (bounded), then lets the blobs get under way. */
    static void awaitDownloads(FaultyProxy proxy, int n) throws InterruptedException {
        for (int i = 0; i < 400 && proxy.connections() < n; i++) {
            Thread.sleep(50);
        }
        Thread.sleep(1500);
    }

    /**
     * Every blob the registry committed hashes to its name: an upload cut off never became a blob.
     * Unfinished uploads live under {@code _uploads} and are no blobs.
     */
    static void assertEveryCommittedBlobVerifies(LocalRegistry registry) throws IOException {
        Path blobs = registry.dir().resolve("storage/docker/registry/v2/blobs/sha256");
        try (Stream<Path> files = Files.walk(blobs)) {
            for (Path data : files.filter(p -> p.getFileName().toString().equals("data")).toList()) {
                assertEquals("sha256:" + data.getParent().getFileName(), LayoutAssertions.hash(data).toString(),
                        data.toString());
            }
        }
    }

    static void assertEveryLayoutBlobVerifies(Path layout) throws IOException {
        if (Files.exists(layout.resolve("index.json"))) {
            LayoutAssertions.assertEveryReferencedBlobVerifies(layout);
        }
        if (Files.isDirectory(layout.resolve("blobs/sha256"))) {
            try (Stream<Path> files = Files.list(layout.resolve("blobs/sha256"))) {
                for (Path blob : files.toList()) {
                    assertEquals("sha256:" + blob.getFileName(), LayoutAssertions.hash(blob).toString(), blob.toString());
                }
            }
        }
    }

    @Test
    void oneShardKilledMidBlobLetsTheOtherShardsFinishAndARerunOfItCompletesThePlan() throws Exception {
        int n = 3;
        TestPusher pusher = new TestPusher(source.hostPort());
        Map<String, String> digests = new HashMap<>();
        // Held to a trickle until the kill, so that however long the workers take to start, each is still
        // inside its big blob then; lifted after it, so that the others finish promptly.
        try (FaultyProxy slow = FaultyProxy.start(source.port(), 1, 0, 0).throttle(32 * 1024)) {
            // one big image per shard (names picked by the shard hash, which depends on the proxy's
            // port), so that every process is still moving a blob when one of them is killed
            Map<Integer, String> big = new HashMap<>();
            for (int i = 0; i < 200 && big.size() < n; i++) {
                String repo = "shardkill/big" + i;
                Shard owner = ownerOf(slow.hostPort() + "/" + repo, n);
                big.putIfAbsent(owner.index(), repo);
            }
            assertEquals(n, big.size(), "a repository name for every shard");
            List<String> repos = new ArrayList<>(big.values());
            for (int i = 0; i < 6; i++) {
                repos.add("shardkill/small" + i);
            }
            StringBuilder entries = new StringBuilder();
            for (String repo : repos) {
                TestImage image = repo.contains("big")
                        ? SyncWorkersAgainstRealRegistriesTest.bigImage(3 << 20, repo.hashCode())
                        : TestImage.builder().layer(Map.of("f", repo)).build();
                pusher.push(repo, "1", image);
                digests.put(repo, image.digest().toString());
                entries.append("  - {source: \"%s/%s:1\", target: \"%s/%s\"}\n"
                        .formatted(slow.hostPort(), repo, target.hostPort(), repo));
            }
            Path file = config(slow.hostPort(), entries.toString());
            List<Process> workers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                workers.add(FerryProcess.start(dir.resolve("s" + i + ".out"), dir.resolve("s" + i + ".err"), "sync",
                        "--shard", i + "/" + n, "--format", "json", file.toString()));
            }
            int killed = 1;
            // each worker pings, HEADs and GETs before its layer: wait until all are moving blobs
            awaitDownloads(slow, 4 * n);
            assertTrue(workers.get(killed).isAlive(), "the worker to kill is still copying");
            workers.get(killed).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            for (int i = 0; i < n; i++) {
                if (i != killed) {
                    assertTrue(workers.get(i).isAlive(), "shard " + i + " was still running when shard " + killed
                            + " was killed");
                }
            }
            slow.throttle(0);
            for (int i = 0; i < n; i++) {
                if (i != killed) {
                    assertTrue(workers.get(i).waitFor(180, TimeUnit.SECONDS), "shard " + i + " ends");
                    assertEquals(0, workers.get(i).exitValue(), Files.readString(dir.resolve("s" + i + ".err")));
                }
            }
            String killedBig = big.get(killed);
            assertNull(SyncAgainstRealRegistriesTest.digestAt(target.hostPort(), killedBig, "1"),
                    "the killed shard's image has no manifest before every blob arrived");
            for (String repo : repos) {
                if (!ownerOf(slow.hostPort() + "/" + repo, n).equals(new Shard(killed, n))) {
                    assertEquals(digests.get(repo), SyncAgainstRealRegistriesTest.digestAt(target.hostPort(), repo, "1"),
                            repo + " copied by its own shard");
                }
            }
            slow.throttle(0);
            var rerun = FerryProcess.run(dir, "sync", "--shard", killed + "/" + n, file.toString());
            assertEquals(0, rerun.exitCode(), rerun.toString());
        }
        // the target is complete: every image's digest is the source's
        for (Map.Entry<String, String> e : digests.entrySet()) {
            assertEquals(e.getValue(), SyncAgainstRealRegistriesTest.digestAt(target.hostPort(), e.getKey(), "1"), e.getKey());
        }
        assertEveryCommittedBlobVerifies(target);
    }

    private static Shard ownerOf(String repository, int n) {
        for (int i = 0; i < n; i++) {
            if (new Shard(i, n).owns(ImageReference.parseRepository(repository))) {
                return new Shard(i, n);
            }
        }
        throw new IllegalStateException("no shard owns " + repository);
    }

    @Test
    void sigtermDuringAOnceRunLetsTheImagesUnderWayFinishEndsWith143AndARerunIsUpToDate() throws Exception {
        TestImage image = SyncWorkersAgainstRealRegistriesTest.bigImage(3 << 20, 11);
        new TestPusher(source.hostPort()).push("once-termed/app", "1", image);
        Path layout = dir.resolve("once-layout");
        String entries = """
                  - {source: "%1$s/once-termed/app:1", target: "%2$s/once-termed/app"}
                  - {source: "%1$s/once-termed/app:1", target: "oci:%3$s"}
                """;
        try (FaultyProxy slow = FaultyProxy.start(source.port(), 1, 0, 0).throttle(128 * 1024)) {
            Path file = config(slow.hostPort(), entries.formatted(slow.hostPort(), target.hostPort(), layout));
            Process run = FerryProcess.start(dir.resolve("o.out"), dir.resolve("o.err"), "sync", "--format", "json",
                    file.toString());
            awaitDownloads(slow, 4);
            assertTrue(run.isAlive(), "the run is still copying when SIGTERM arrives");
            run.destroy(); // SIGTERM
            // once the JVM has begun its shutdown, the blobs under way may go at full speed: the grace
            // period lets them finish, where an abrupt exit would have abandoned them
            Thread.sleep(1000);
            slow.throttle(0);
            assertTrue(run.waitFor(90, TimeUnit.SECONDS), "the run ends after SIGTERM");
            assertEquals(TERMINATED, run.exitValue(), Files.readString(dir.resolve("o.err")));
        }
        List<String> lines = Files.readAllLines(dir.resolve("o.out"));
        assertEquals(2, lines.stream().filter(l -> l.contains("\"status\":\"copied\"")).count(),
                "both images under way finished after SIGTERM: " + lines);
        assertTrue(lines.getLast().startsWith("{\"type\":\"summary\""), "the round's summary: " + lines);
        // nothing half-written: the registry committed only verified blobs and names the image only
        // when complete; the layout holds only verified blob files and names only complete images
        assertEquals(image.digest().toString(), SyncAgainstRealRegistriesTest.digestAt(target.hostPort(), "once-termed/app", "1"));
        assertEveryCommittedBlobVerifies(target);
        assertEveryLayoutBlobVerifies(layout);
        var rerun = FerryProcess.run(dir, "sync", config(source.hostPort(),
                entries.formatted(source.hostPort(), target.hostPort(), layout)).toString());
        assertEquals(0, rerun.exitCode(), rerun.toString());
        assertEquals(image.digest().toString(), SyncAgainstRealRegistriesTest.digestAt(target.hostPort(), "once-termed/app", "1"));
        assertEquals(image.digest().toString(),
                LayoutAssertions.index(layout).path("manifests").get(0).path("digest").asString());
        LayoutAssertions.assertEveryReferencedBlobVerifies(layout);
    }
}
