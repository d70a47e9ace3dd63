package dev.ferry.layout;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The lock between writers and the garbage collector of a layout ({@code .ferry-gc.lock}). A writer
 * holds it shared from its first blob until index.json names its image, since until then its blobs
 * are reachable from nothing; the collector takes it exclusively, and only when no writer holds it.
 * A file lock belongs to the process, so the writers of one process share one.
 */
final class BlobLease {

    static final String LOCK_FILE = ".ferry-gc.lock";

    /** The shared lock each layout's writers hold in this process, by the layout's real path. */
    private static final Map<Path, Held> HELD = new HashMap<>();

    private static final class Held {
        final FileChannel channel;
        final FileLock lock;
        int writers;

        Held(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }
    }

    private BlobLease() {
    }

    /** Holds the layout's blobs from collection until closed; waits while another process collects. */
    static Closeable shared(LayoutFiles files) throws IOException {
        Path key = files.real();
        synchronized (HELD) {
            Held held = HELD.get(key);
            if (held == null) {
                FileChannel channel = open(files);
                try {
                    held = new Held(channel, channel.lock(0, Long.MAX_VALUE, true));
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                HELD.put(key, held);
            }
            held.writers++;
        }
        return new Closeable() {
            private boolean closed;

            @Override
            public void close() throws IOException {
                synchronized (HELD) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    Held held = HELD.get(key);
                    if (--held.writers == 0) {
                        HELD.remove(key);
                        held.channel.close(); // releases the lock
                    }
                }
            }
        };
    }

    interface Work<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} holding the lock exclusively, or returns null at once when a writer of this
     * or another process holds it: collection never waits for writers, it is left to a later round.
     */
    static <T> T exclusive(LayoutFiles files, Work<T> work) throws IOException {
        synchronized (HELD) {
            if (HELD.containsKey(files.real())) {
                return null;
            }
            try (FileChannel channel = open(files); FileLock lock = channel.tryLock(0, Long.MAX_VALUE, false)) {
                return lock == null ? null : work.run();
            }
        }
    }

    private static FileChannel open(LayoutFiles files) throws IOException {
        return files.openToWrite(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }
}
