package dev.ferry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Debian's nginx on 127.0.0.1 as a TCP proxy capping what each connection carries, in front of a
 * local registry, started and stopped through {@code scripts/shaper}: a long round trip or a CDN
 * edge, on this machine. Fails loudly when nginx cannot be started: a missing tool is a failure.
 */
public final class CappedLink implements AutoCloseable {

    private final Path dir;
    private final int port;

    private CappedLink(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * @param backendPort the registry's port
     * @param rate per connection, as nginx writes it (e.g. {@code 2m}: 2 MiB/s)
     */
    public static CappedLink start(int backendPort, String rate) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("ferry-shaper-");
        External.Output started = External.run(Duration.ofSeconds(120), script().toString(), "start", dir.toString(),
                Integer.toString(backendPort), rate);
        if (started.exitCode() != 0) {
            throw new IllegalStateException("scripts/shaper start failed (exit " + started.exitCode() + "): "
                    + started.stdout().trim() + " " + started.stderr().trim()
                    + "; the capped-link tests need nginx-light and libnginx-mod-stream (scripts/test installs them)");
        }
        return new CappedLink(dir, Integer.parseInt(started.stdout().trim().split(" ")[0]));
    }

    private static Path script() {
        return LocalRegistry.script().resolveSibling("shaper");
    }

    /** {@code 127.0.0.1:PORT} of the capped side, as written in references. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        External.run(Duration.ofSeconds(30), script().toString(), "stop", dir.toString());
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
