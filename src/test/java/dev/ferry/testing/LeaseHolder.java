package dev.ferry.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Another process holding a layout's garbage-collection lease shared, as a writer does: a
 * single-file Java program that locks the file, says so, and holds it until closed or killed.
 */
public final class LeaseHolder implements AutoCloseable {

    private static final String PROGRAM = """
            import java.nio.channels.FileChannel;
            import java.nio.file.*;
            class Holder {
                public static void main(String[] a) throws Exception {
                    try (FileChannel c = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE,
                            StandardOpenOption.READ, StandardOpenOption.WRITE);
                         var lock = c.lock(0, Long.MAX_VALUE, true)) {
                        System.out.println("held");
                        System.in.read();
                    }
                }
            }
            """;

    private final Process process;

    private LeaseHolder(Process process) {
        this.process = process;
    }

    /**
     * Starts the holder on {@code lockFile} and returns once it holds the lease.
     *
     * @param work a directory for the program's source
     */
    public static LeaseHolder hold(Path lockFile, Path work) throws IOException, InterruptedException {
        Path source = Files.writeString(work.resolve("Holder.java"), PROGRAM);
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                source.toString(), lockFile.toString()).start();
        LeaseHolder holder = new LeaseHolder(process);
        String said = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (!"held".equals(said)) {
            holder.kill();
            throw new IllegalStateException("the lease holder did not take the lock: " + said);
        }
        return holder;
    }

    /** Kills the holder as SIGKILL does: no code of its runs, the kernel releases the lock. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Lets the holder release the lease and end, and kills it if it does not. */
    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        process.waitFor(30, TimeUnit.SECONDS);
        process.destroyForcibly();
    }
}
