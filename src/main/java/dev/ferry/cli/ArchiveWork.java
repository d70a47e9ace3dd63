package dev.ferry.cli;

import dev.ferry.cli.Transports.ArchiveLocation;
import dev.ferry.cli.Transports.Location;
import dev.ferry.cli.Transports.OciLocation;
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
 * {@code oci-archive:} arguments as OCI layouts in work directories beside the archives: a source is
 * unpacked into one, a destination is written into an empty one and packed when the transfer is
 * done. The directories go when the command ends, also when it is interrupted (not when killed
 * with SIGKILL: then a {@code .NAME.ferry-*} directory stays beside the archive).
 */
final class ArchiveWork implements AutoCloseable {

    private final List<Path> directories = new CopyOnWriteArrayList<>();
    /** Each work directory's archive, to name the archive where messages would name the directory. */
    private final Map<String, ArchiveLocation> archives = new ConcurrentHashMap<>();
    private final Thread cleanup = new Thread(this::deleteAll, "ferry-archive-cleanup");

    ArchiveWork() {
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** The layout to read: the archive's, unpacked; other locations as they are. */
    Location readable(Location location) throws IOException {
        return readable(location, Long.MAX_VALUE);
    }

    /**
     * The layout to read manifests and configs from: the archive's, unpacked without the blobs
     * larger than {@code maxBlobBytes} (inspect needs no layer); other locations as they are.
     */
    Location readable(Location location, long maxBlobBytes) throws IOException {
        if (!(location instanceof ArchiveLocation archive)) {
            return location;
        }
        Path dir = directory(archive);
        LayoutArchive.unpack(archive.file(), dir, maxBlobBytes);
        return new OciLocation(dir, archive.tag());
    }

    /** The layout to write into: an empty one for an archive; other locations as they are. */
    Location writable(Location location) throws IOException {
        if (!(location instanceof ArchiveLocation archive)) {
            return location;
        }
        Path parent = archive.file().toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent) || Files.isDirectory(archive.file())) {
            throw new UsageException("oci-archive:" + archive.file() + ": " + (Files.isDirectory(archive.file())
                    ? "is a directory (oci:DIR writes a layout directory)" : "its directory does not exist"));
        }
        return new OciLocation(directory(archive), archive.tag());
    }

    /** Packs what was written for {@code destination} into its archive, when it is one. */
    void finish(Location destination, Location written) throws IOException {
        if (destination instanceof ArchiveLocation archive && written instanceof OciLocation layout) {
            LayoutArchive.pack(layout.dir(), archive.file());
        }
    }

    private Path directory(ArchiveLocation archive) throws IOException {
        Path dir = LayoutArchive.workDirectory(archive.file());
        directories.add(dir);
        archives.put(dir.toString(), archive);
        return dir;
    }

    /** A message or summary with each work directory named as the archive it stands for. */
    String describe(String text) {
        String described = text;
        for (Map.Entry<String, ArchiveLocation> e : archives.entrySet()) {
            String file = e.getValue().file().toString();
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
