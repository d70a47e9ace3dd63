package dev.ferry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a peer tool (skopeo, umoci) and fails the test if it is missing, fails or runs too long. */
public final class External {

    /** Long enough for skopeo to copy a few hundred MiB on a loaded machine. */
    static final Duration TIMEOUT = Duration.ofSeconds(300);

    private External() {
    }

    public record Output(int exitCode, String stdout, String stderr) {
    }

    public static Output run(String... command) throws IOException, InterruptedException {
        return run(TIMEOUT, command);
    }

    /**
     * Runs {@code command} with no input, reading its standard output and error at the same time: a
     * peer that fills one pipe while the other is being read would otherwise wait forever. The
     * timeout covers the whole run, reads included.
     */
    public static Output run(Duration timeout, String... command) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Process p;
        try {
            p = new ProcessBuilder(new ArrayList<>(List.of(command))).start();
        } catch (IOException e) {
            throw new IllegalStateException(command[0] + " is not installed; scripts/test installs it with apt-get", e);
        }
        p.getOutputStream().close();
        FutureTask<String> out = drain(p.getInputStream(), command[0] + " stdout");
        FutureTask<String> err = drain(p.getErrorStream(), command[0] + " stderr");
        try {
            if (!p.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException(String.join(" ", command) + " timed out after " + timeout);
            }
            // A child the peer left behind may still hold the pipes open: the reads share the deadline.
            return new Output(p.exitValue(), out.get(remaining(deadline), TimeUnit.NANOSECONDS),
                    err.get(remaining(deadline), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            throw new IllegalStateException(String.join(" ", command) + " kept its output open past " + timeout, e);
        } catch (ExecutionException e) {
            throw new IOException("reading the output of " + command[0], e.getCause());
        } finally {
            p.destroyForcibly();
            p.getInputStream().close();
            p.getErrorStream().close();
        }
    }

    /** Runs and requires exit code 0. */
    public static String check(String... command) throws IOException, InterruptedException {
        Output o = run(command);
        if (o.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (exit " + o.exitCode() + "): " + o.stderr());
        }
        return o.stdout();
    }

    private static FutureTask<String> drain(InputStream stream, String name) {
        FutureTask<String> task = new FutureTask<>(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Thread.ofPlatform().daemon().name(name).start(task);
        return task;
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }
}
