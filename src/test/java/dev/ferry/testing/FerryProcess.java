package dev.ferry.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs ferry in a separate JVM with the test's class path, for what in-process runs cannot show:
 * concurrent processes and a process killed with SIGKILL.
 */
public final class FerryProcess {

    private FerryProcess() {
    }

    public static Process start(Path stdout, Path stderr, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "dev.ferry.cli.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
    }

    /** Runs to completion and returns the exit code; output goes to files beside {@code dir}. */
    public static Cli.Result run(Path dir, String... args) throws IOException, InterruptedException {
        File out = File.createTempFile("ferry-out", ".txt", dir.toFile());
        File err = File.createTempFile("ferry-err", ".txt", dir.toFile());
        Process p = start(out.toPath(), err.toPath(), args);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("ferry " + String.join(" ", args) + " did not finish");
        }
        return new Cli.Result(p.exitValue(), java.nio.file.Files.readAllBytes(out.toPath()),
                java.nio.file.Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }
}
