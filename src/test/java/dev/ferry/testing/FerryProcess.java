package dev.ferry.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs ferry in a separate JVM with the test's class path, for what in-process runs cannot show:
 * concurrent processes and a process killed with SIGKILL.
 */
public final class FerryProcess {

    private FerryProcess() {
    }

    public static Process start(Path stdout, Path stderr, String... args) throws IOException {
        return start(stdout, stderr, Map.of(), args);
    }

    /**
     * @param env changes to the test JVM's environment: a value replaces the variable, an empty
     *     value removes it
     */
    public static Process start(Path stdout, Path stderr, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "dev.ferry.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        env.forEach((name, value) -> {
            if (value.isEmpty()) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        return builder.start();
    }

    /** Runs to completion and returns the exit code; output goes to files beside {@code dir}. */
    public static Cli.Result run(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, Map.of(), null, args);
    }

    /**
     * As {@link #run(Path, String...)}, with changes to the environment (see {@link #start(Path, Path, Map,
     * String...)}) and, when not null, text on standard input.
     */
    public static Cli.Result run(Path dir, Map<String, String> env, String stdin, String... args)
            throws IOException, InterruptedException {
        File out = File.createTempFile("ferry-out", ".txt", dir.toFile());
        File err = File.createTempFile("ferry-err", ".txt", dir.toFile());
        Process p = start(out.toPath(), err.toPath(), env, args);
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("ferry " + String.join(" ", args) + " did not finish");
        }
        return new Cli.Result(p.exitValue(), java.nio.file.Files.readAllBytes(out.toPath()),
                java.nio.file.Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }
}
