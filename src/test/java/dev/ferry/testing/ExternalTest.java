package dev.ferry.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runner of peer tools: both pipes read at once, one timeout for the whole run. */
class ExternalTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // reading stdout first would wait here forever
    void aPeerThatFillsStandardErrorBeforeWritingStandardOutputIsReadToTheEnd() throws Exception {
        // 1 MiB on stderr is far more than a pipe holds, so the peer blocks until someone reads it.
        External.Output output = External.run("sh", "-c", "head -c 1048576 /dev/zero | tr '\\0' e >&2; echo done");

        assertEquals(0, output.exitCode());
        assertEquals("done\n", output.stdout());
        assertEquals(1024 * 1024, output.stderr().length());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPeerThatWritesAndThenHangsIsStoppedAtTheTimeout() {
        // Its output has been written but its pipes stay open: the timeout must cover the reads.
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> External.run(Duration.ofMillis(200), "sh", "-c", "echo started; exec sleep 600"));

        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    }

    @Test
    void theExitCodeAndBothStreamsOfAFailingPeerAreKept() throws Exception {
        External.Output output = External.run("sh", "-c", "echo out; echo err >&2; exit 3");

        assertEquals(new External.Output(3, "out\n", "err\n"), output);
        AssertionError failure = assertThrows(AssertionError.class, () -> External.check("sh", "-c", "echo why >&2; exit 3"));
        assertTrue(failure.getMessage().contains("exit 3") && failure.getMessage().contains("why"), failure.getMessage());
    }
}
