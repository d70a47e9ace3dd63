package dev.ferry.location;

import dev.ferry.files.FileTrees;
import dev.ferry.layout.LayoutArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Work directories for {@code oci-archive:} locations, beside their archives: a source is unpacked
 * into one, a destination is written into an empty one and packed when the transfer is done. The
 * directories go when the work is closed, also when the JVM is interrupted (not when killed with
 * SIGKILL: then a {@code .NAME.ferry-*} directory stays beside the archive). Messages that name a
 * work directory are rewritten to name its archive, by {@link #describe}.
 */
public final class ArchiveWork implements AutoCloseable {

    /** Every work directory ever made, by path, with its archive: messages name the archive. */
    private static final Map<String, Path> ARCHIVES = new ConcurrentHashMap<>();

    private final List<Path> directories = new CopyOnWriteArrayList<>();
    private final Thread cleanup = new Thread(this::deleteAll, "ferry-archive-cleanup");

    public ArchiveWork() {
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /**
     * The archive unpacked into a new work directory, without the blobs larger than
     * {@code maxBlobBytes} (inspect needs no layer).
     */
    public Path unpack(Path archive, long maxBlobBytes) throws IOException {
        Path dir = directory(archive);
        LayoutArchive.unpack(archive, dir, maxBlobBytes);
        return dir;
    }

    /** A new, empty work directory to write the layout of {@code archive} into. */
    public Path forWriting(Path archive) throws IOException {
        Path parent = archive.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent) || Files.isDirectory(archive)) {
            throw new LocationFormatException("oci-archive:" + archive + ": " + (Files.isDirectory(archive)
                    ? "is a directory (oci:DIR writes a layout directory)" : "its directory does not exist"));
        }
        return directory(archive);
    }

    /**
     * A new, empty work directory for a {@code docker-archive:} read or written: beside the archive,
     * or in the temporary directory for standard input or output ({@code -}).
     */
    public Path forDockerArchive(Path archive) throws IOException {
        if (archive.toString().equals("-")) {
            Path dir = Files.createTempDirectory("ferry-archive-");
            directories.add(dir);
            return dir;
        }
        Path parent = archive.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent) || Files.isDirectory(archive)) {
            throw new LocationFormatException("docker-archive:" + archive + ": " + (Files.isDirectory(archive)
                    ? "is a directory" : "its directory does not exist"));
        }
        return directory(archive);
    }

    private Path directory(Path archive) throws IOException {
        Path dir = LayoutArchive.workDirectory(archive);
        directories.add(dir);
        ARCHIVES.put(dir.toString(), archive);
        return dir;
    }

    /** A message or summary with each work directory named as the archive it stands for. */
    public static String describe(String text) {
        String described = text;
        for (Map.Entry<String, Path> e : ARCHIVES.entrySet()) {
            String file = e.getValue().toString();
            described = described.replace("oci:" + e.getKey(), "oci-archive:" + file).replace(e.getKey(), file);
        }
        return described;
    }

    private void deleteAll() {
        for (Path dir : directories) {
            // On an interrupt, transfer threads may still be writing while the hook runs: a file they
            // create after a pass keeps the directory, so a few passes.
            for (int pass = 0; pass < 10 && Files.exists(dir); pass++) {
                FileTrees.delete(dir);
                if (Files.exists(dir)) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        }
        directories.clear();
    }

    @Override
    public void close() {
        deleteAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already; the hook runs
        }
    }
}
