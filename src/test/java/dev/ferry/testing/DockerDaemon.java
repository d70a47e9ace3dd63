package dev.ferry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Docker's own engine (Debian's docker.io, 20.10) for a test: dockerd with every path in a new
 * temporary directory (short: a unix socket path has at most 108 characters), the vfs storage
 * driver and no networking, stopped by its PID. The client is {@code /usr/bin/docker}, the one that
 * comes with that engine.
 */
public final class DockerDaemon implements AutoCloseable {

    public static final String CLIENT = "/usr/bin/docker";
    /** The machine may be loaded: a daemon gets long to start. */
    private static final Duration START = Duration.ofSeconds(180);

    private final Path dir;
    private final Process process;

    private DockerDaemon(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    public static DockerDaemon start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "dk");
        Process process = new ProcessBuilder("dockerd", "--data-root", dir + "/d", "--exec-root", dir + "/x",
                "-H", "unix://" + dir + "/s", "--pidfile", dir + "/p", "--storage-driver", "vfs",
                "--iptables=false", "--ip6tables=false", "--bridge=none")
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        DockerDaemon daemon = new DockerDaemon(dir, process);
        long deadline = System.nanoTime() + START.toNanos();
        while (External.run(Duration.ofSeconds(30), daemon.command("version")).exitCode() != 0) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                daemon.close();
                throw new IllegalStateException("dockerd did not start: " + Files.readString(dir.resolve("log")));
            }
            Thread.sleep(250);
        }
        return daemon;
    }

    /** A docker client command line against this daemon. */
    public String[] command(String... args) {
        List<String> command = new ArrayList<>(List.of(CLIENT, "-H", "unix://" + dir + "/s"));
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }

    /** Runs the docker client and requires exit code 0; its standard output. */
    public String docker(String... args) throws IOException, InterruptedException {
        return External.check(command(args));
    }

    /** Docker's data root: {@code image/vfs/layerdb/sha256/} holds a directory per chain ID. */
    public Path dataRoot() {
        return dir.resolve("d");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        // vfs layers are plain directories; the daemon ran as root, so does this.
        External.run(Duration.ofSeconds(120), "rm", "-rf", dir.toString());
    }
}
