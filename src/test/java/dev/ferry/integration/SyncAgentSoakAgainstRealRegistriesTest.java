package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.json.Json;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code ferry sync --interval} as the agent runs it: a child process, 300 rounds, its resident
 * memory, threads and open descriptors read from /proc after round 10 and at the end, then
 * SIGTERM. The child runs with the JVM flags of {@code scripts/ferry}. The interval is 200ms
 * rather than the 1s: the rounds are the same 300, and the test takes about a minute and a
 * half instead of six.
 *
 * <p>Each figure is the smallest of five samples, one right after each of five consecutive
 * round summaries: a round's worker threads and connections come and go, and the quiet state
 * between rounds is what must not grow. A leak of one thread or descriptor per round would show as
 * hundreds. OkHttp's task runners are counted apart (see {@link Usage}), within their bound.
 */
class SyncAgentSoakAgainstRealRegistriesTest {

    static final int ROUNDS = 300;
    static final int SAMPLES = 5;
    static final long RSS_SLACK_KIB = 32 * 1024;
    /** At most as many OkHttp tasks run at once: a connection pool's cleanup per client, the runner's coordinator. */
    static final int OKHTTP_RUNNERS = 4;

    @TempDir
    Path dir;

    /**
     * @param threads the process's threads (/proc/PID/status) less OkHttp's task runners
     * @param okHttp OkHttp's task-runner threads (named "OkHttp ..." in /proc/PID/task/TID/comm): a pool
     *     that keeps one thread per task that ran at the same time and lets each go after 60 s idle,
     *     so how many there are depends on when tasks overlapped, not on how many rounds ran
     */
    record Usage(long rssKib, long threads, long okHttp, long fds) {
        Usage min(Usage o) {
            return new Usage(Math.min(rssKib, o.rssKib), Math.min(threads, o.threads), Math.min(okHttp, o.okHttp),
                    Math.min(fds, o.fds));
        }
    }

    static Usage usage(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        long rss = -1;
        long threads = -1;
        for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        long okHttp = 0;
        try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            for (Path task : tasks.toList()) {
                try {
                    okHttp += Files.readString(task.resolve("comm")).startsWith("OkHttp ") ? 1 : 0;
                } catch (java.nio.file.NoSuchFileException e) {
                    // the thread ended while listed
                }
            }
        }
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            return new Usage(rss, threads - okHttp, okHttp, fds.count());
        }
    }

    /** The round number of the last summary line the agent printed, 0 before the first. */
    static long lastRound(Path out) throws IOException {
        List<String> lines = Files.readAllLines(out);
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (line.startsWith("{\"type\":\"summary\"")) {
                JsonNode round = Json.MAPPER.readTree(line).path("round");
                assertEquals(0, round.path("failed").asInt(), line);
                return round.path("round").asLong();
            }
        }
        return 0;
    }

    /** Waits (bounded) for each of {@code SAMPLES} rounds from {@code first} and samples right after its summary. */
    static Usage quietUsage(Process agent, Path out, long first) throws Exception {
        Usage least = null;
        for (long round = first; round < first + SAMPLES; round++) {
            long seen = lastRound(out);
            for (int i = 0; i < 6000 && seen < round; i++) {
                assertTrue(agent.isAlive(), "the agent runs");
                Thread.sleep(20);
                seen = lastRound(out);
            }
            assertTrue(seen >= round, "round " + round + " reached");
            Usage now = usage(agent.pid());
            least = least == null ? now : least.min(now);
        }
        return least;
    }

    @Test
    void threeHundredRoundsOfAChildAgentKeepItsThreadsDescriptorsAndMemoryAsAfterRoundTen() throws Exception {
        try (LocalRegistry source = LocalRegistry.start(); LocalRegistry target = LocalRegistry.start()) {
            TestPusher pusher = new TestPusher(source.hostPort());
            for (String tag : List.of("a", "b", "c")) {
                pusher.push("agent-soak/app", tag, TestImage.builder().layer(Map.of("f", tag)).build());
            }
            Path config = dir.resolve("sync.yaml");
            Files.writeString(config, """
                    creds:
                      - {registry: "%1$s", tls: disabled}
                      - {registry: "%2$s", tls: disabled}
                    sync:
                      - {source: "%1$s/agent-soak/app", target: "%2$s/agent-soak/app", type: repository}
                    """.formatted(source.hostPort(), target.hostPort()));
            Path out = dir.resolve("agent.out");
            // the JVM flags scripts/ferry runs with (C1 alone, a small initial heap)
            Process agent = FerryProcess.start(out, dir.resolve("agent.err"),
                    Map.of("JAVA_TOOL_OPTIONS", "-Xms16m -XX:TieredStopAtLevel=1"), "sync", "--interval", "200ms",
                    "--format", "json", config.toString());
            try {
                Usage early = quietUsage(agent, out, 10);
                Usage late = quietUsage(agent, out, ROUNDS - SAMPLES + 1);
                assertEquals(early.threads(), late.threads(), "threads after round 10 and at the end: " + early + " " + late);
                assertTrue(late.okHttp() <= OKHTTP_RUNNERS, "OkHttp task runners: " + late);
                assertEquals(early.fds(), late.fds(), "open descriptors after round 10 and at the end: " + early + " " + late);
                assertTrue(late.rssKib() <= early.rssKib() + RSS_SLACK_KIB, "resident KiB: " + early + " " + late);
                agent.destroy(); // SIGTERM
                assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent ends after SIGTERM");
                assertEquals(SyncSignalsAgainstRealRegistriesTest.TERMINATED, agent.exitValue(),
                        Files.readString(dir.resolve("agent.err")));
            } finally {
                agent.destroyForcibly();
            }
            long copied = Files.readAllLines(out).stream().filter(l -> l.contains("\"status\":\"copied\"")).count();
            assertEquals(3, copied, "each image copied once, in round 1");
        }
    }
}
