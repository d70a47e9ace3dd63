package dev.ferry.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a peer tool (skopeo, umoci) and fails the test if it is missing or fails. */
public final class External {

    private External() {
    }

    public record Output(int exitCode, String stdout, String stderr) {
    }

    public static Output run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(new ArrayList<>(List.of(command))).start();
        } catch (IOException e) {
            throw new IllegalStateException(command[0] + " is not installed; scripts/test installs it with apt-get", e);
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " timed out");
        }
        return new Output(p.exitValue(), out, err);
    }

    /** Runs and requires exit code 0. */
    public static String check(String... command) throws IOException, InterruptedException {
        Output o = run(command);
        if (o.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (exit " + o.exitCode() + "): " + o.stderr());
        }
        return o.stdout();
    }
}
