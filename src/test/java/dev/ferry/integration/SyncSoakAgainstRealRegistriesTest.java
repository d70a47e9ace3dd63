package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.reference.ImageReference;
import dev.ferry.sync.RoundReport;
import dev.ferry.sync.Shard;
import dev.ferry.sync.SyncConfig;
import dev.ferry.sync.SyncRule;
import dev.ferry.sync.SyncSettings;
import dev.ferry.sync.Syncer;
import dev.ferry.sync.Target;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent's rounds, one after another against two real registries: threads, open files and
 * the heap after a round are what they were after round 10, however many rounds follow.
 */
class SyncSoakAgainstRealRegistriesTest {

    static final int ROUNDS = 300;

    static long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    static long heapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void threeHundredRoundsLeaveThreadsFilesAndHeapAsTheyWereAfterRoundTen() throws Exception {
        try (LocalRegistry source = LocalRegistry.start(); LocalRegistry target = LocalRegistry.start()) {
            TestPusher pusher = new TestPusher(source.hostPort());
            for (String tag : List.of("a", "b", "c")) {
                pusher.push("soak/app", tag, TestImage.builder().layer(Map.of("f", tag)).build());
            }
            SyncRule rule = new SyncRule(ImageReference.parseRepository(source.hostPort() + "/soak/app"), null,
                    List.of(), List.of(), new Target.RegistryRepo(ImageReference.parseRepository(target.hostPort()
                            + "/soak/app"), null), null);
            SyncConfig config = new SyncConfig(SyncSettings.defaults(), Map.of(),
                    List.of(source.hostPort(), target.hostPort()), List.of(rule));
            long threads = 0;
            long files = 0;
            long heap = 0;
            try (Syncer syncer = new Syncer(config, Shard.ALL, Map.of(), null, Duration.ofSeconds(10))) {
                for (int round = 1; round <= ROUNDS; round++) {
                    RoundReport report = syncer.round(r -> { }, () -> false);
                    assertEquals(0, report.failed(), report.toString());
                    assertEquals(round == 1 ? 3 : 0, report.copied(), report.toString());
                    if (round == 10) {
                        threads = Thread.activeCount();
                        files = openFiles();
                        heap = heapAfterGc();
                    }
                }
                // pooled connections and worker threads come and go within small bounds; a leak
                // of one per round would be hundreds
                assertTrue(Thread.activeCount() <= threads + 4, Thread.activeCount() + " threads, " + threads + " at round 10");
                assertTrue(openFiles() <= files + 8, openFiles() + " open files, " + files + " at round 10");
                assertTrue(heapAfterGc() <= heap + 32L * 1024 * 1024, heapAfterGc() + " heap bytes, " + heap + " at round 10");
            }
        }
    }
}
