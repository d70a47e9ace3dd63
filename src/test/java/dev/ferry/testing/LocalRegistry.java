package dev.ferry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real docker-registry on 127.0.0.1, started and stopped through {@code scripts/registry}. Fails
 * loudly when the registry cannot be started: a missing tool is a failure, never a skip.
 */
public final class LocalRegistry implements AutoCloseable {

    private final Path dir;
    private final int port;

    private LocalRegistry(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static LocalRegistry start(String... options) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("ferry-registry-");
        List<String> command = new ArrayList<>(List.of(script().toString(), "start", dir.toString()));
        command.addAll(List.of(options));
        External.Output started = External.run(Duration.ofSeconds(120), command.toArray(String[]::new));
        String out = started.stdout().trim();
        if (started.exitCode() != 0) {
            throw new IllegalStateException("scripts/registry start failed (exit " + started.exitCode() + "): " + out
                    + " " + started.stderr().trim()
                    + "; the integration tests need Debian's docker-registry (scripts/test installs it)");
        }
        return new LocalRegistry(dir, Integer.parseInt(out.split(" ")[0]));
    }

    static Path script() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("scripts/registry"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("scripts/registry not found above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("scripts/registry");
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:PORT}, as written in references. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public Path dir() {
        return dir;
    }

    /** Stops the registry and deletes its directory: a copy test leaves hundreds of MiB in its storage. */
    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder(script().toString(), "stop", dir.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
