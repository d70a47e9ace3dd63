package dev.ferry.layout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one blob into a partial file inside the layout. Only {@link #commit()}, called after the
 * content was verified, moves it to its digest path; closing without commit deletes the partial
 * file, so the layout never holds an unverified blob under a digest name.
 *
 * <p>A resumable writer appends to a partial file named after the digest alone, which an earlier
 * attempt or a killed run may have left, and holds an exclusive lock on it while writing; its
 * file is kept on close when {@link #keepForResume()} was called.
 *
 * <p>A blob fetched in parts ({@link BlobParts}) is written at its offsets, so the file may hold
 * bytes past a gap. A resumable writer then records in a {@link RangeRecord} how
 * many leading bytes are complete (decimal): a run killed meanwhile leaves both files, and the
 * next trusts only that prefix. Only the contiguous prefix is ever trusted; parts past a gap are
 * fetched again.
 *
 * <p>Every file it touches goes through {@link LayoutFiles}: no link is written through, and the
 * rename at commit replaces whatever sits at the digest path (a planted link) rather than following it.
 */
final class BlobWriter implements AutoCloseable {

    private final LayoutFiles files;
    private final String partial;
    private final String target;
    private final FileChannel channel;
    private final AtomicLong appended = new AtomicLong();
    private final FileLock lock;
    /** The record of the complete prefix; null for a file of one's own, never resumed from. */
    private final RangeRecord record;
    /** The complete prefix while the file is written in parts; -1 when written in order. */
    private long trusted = -1;
    private final OutputStream stream;
    private boolean committed;
    private boolean keep;

    /** A writer of its own: {@code partial} is a fresh name; whatever sits there (a planted link) goes first. */
    static BlobWriter create(LayoutFiles files, String partial, String target) throws IOException {
        files.deleteIfExists(partial);
        return new BlobWriter(files, partial, target, files.openToWrite(partial, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.READ), null);
    }

    private BlobWriter(LayoutFiles files, String partial, String target, FileChannel channel, FileLock lock)
            throws IOException {
        this.files = files;
        this.partial = partial;
        this.target = target;
        this.channel = channel;
        this.lock = lock;
        this.record = lock == null ? null : new RangeRecord(files, partial);
        channel.position(channel.size());
        this.stream = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                appended.addAndGet(len);
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        };
    }

    /**
     * Opens the partial file {@code stable} to append to it, locked. Returns null when another
     * writer holds it (or it changed while we opened it): then write to a file of one's own.
     * A partial file longer than {@code maxSize} cannot be a prefix of the blob and is emptied.
     * Something other than a regular file of its own under that name (a planted symbolic or hard
     * link) is removed, never opened.
     */
    static BlobWriter resumable(LayoutFiles files, String stable, String target, long maxSize) throws IOException {
        BasicFileAttributes found = files.attributes(stable);
        if (found != null && (!found.isRegularFile() || files.hasOtherNames(stable))) {
            files.deleteIfExists(stable);
            found = null;
        }
        Object before = found == null ? null : key(found);
        FileChannel channel;
        try {
            channel = before == null
                    ? files.openToWrite(stable, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                            StandardOpenOption.READ)
                    : files.openToWrite(stable, StandardOpenOption.WRITE, StandardOpenOption.READ);
        } catch (FileAlreadyExistsException | NoSuchFileException e) {
            return null; // another writer created or committed it just now
        } catch (LayoutException | FileSystemException e) {
            return null; // replaced by something else since we looked (the open does not follow a link)
        }
        FileLock lock = null;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // held by another thread of this process
        }
        // Whoever held the lock may have committed the file or deleted it before letting go: only a
        // file still under the stable name is ours to append to.
        BasicFileAttributes now = files.attributes(stable);
        if (lock == null || now == null || (before != null && !before.equals(key(now))) || files.exists(target)) {
            channel.close();
            return null;
        }
        if (maxSize >= 0 && channel.size() > maxSize) {
            channel.truncate(0);
        }
        BlobWriter writer = new BlobWriter(files, stable, target, channel, lock);
        writer.trusted = writer.record.read(channel.size());
        return writer;
    }

    private static Object key(BasicFileAttributes attributes) {
        return Objects.requireNonNullElse(attributes.fileKey(), attributes.creationTime());
    }

    /** Bytes written through {@link #stream()} since this writer was opened: what crossed the network. */
    long appended() {
        return appended.get();
    }

    /**
     * How many leading bytes of the partial file hold the blob's: all of them when written in
     * order, the recorded complete prefix when written in parts.
     */
    synchronized long trustedLength() throws IOException {
        return trusted >= 0 ? Math.min(trusted, channel.size()) : channel.size();
    }

    /**
     * Starts writing the rest of the blob from {@code start} in parts, at their offsets: the
     * prefix is recorded first, so that a run killed meanwhile resumes only from what is complete.
     */
    synchronized void beginParts(long start) throws IOException {
        trusted = start;
        record(start);
    }

    /** Writes part bytes at their offset in the blob. */
    void writeAt(long position, ByteBuffer bytes) throws IOException {
        int length = bytes.remaining();
        while (bytes.hasRemaining()) {
            position += channel.write(bytes, position);
        }
        appended.addAndGet(length);
    }

    /** Every byte before {@code end} is written: recorded for a later run (only ever forward). */
    synchronized void filledTo(long end) throws IOException {
        if (trusted >= 0 && end > trusted) {
            trusted = end;
            record(end);
        }
    }

    private void record(long prefix) throws IOException {
        if (record != null) {
            record.write(prefix);
        }
    }

    /** Back to writing in order: the record goes. */
    private synchronized void endParts() throws IOException {
        trusted = -1;
        if (record != null) {
            record.delete();
        }
    }

    /** The bytes {@code [from, to)} of the partial file, read as {@code parts} fills them. */
    InputStream filled(long from, long to, BlobParts parts) {
        return new InputStream() {
            private long position = from;
            private long available = from;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= to) {
                    return -1;
                }
                if (position >= available) {
                    available = Math.min(parts.awaitFilled(position), to);
                }
                int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, available - position)), position);
                if (n < 0) {
                    throw new IOException(files.shown() + ": " + partial + " was shortened while it was read");
                }
                position += n;
                return n;
            }
        };
    }

    /** Where to write the blob's bytes: they are appended to what the file holds. */
    OutputStream stream() {
        return stream;
    }

    /** How many bytes the partial file holds. */
    long length() throws IOException {
        return channel.size();
    }

    /** Drops what the partial file holds from {@code length} on; the next write goes there. */
    synchronized void truncate(long length) throws IOException {
        channel.truncate(length);
        channel.position(length);
        endParts();
    }

    /** The first {@code length} bytes of the partial file, read back. */
    InputStream prefix(long length) {
        return new InputStream() {
            private long position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= length) {
                    return -1;
                }
                int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, length - position)), position);
                if (n < 0) {
                    throw new IOException(files.shown() + ": " + partial + " was shortened while it was read");
                }
                position += n;
                return n;
            }
        };
    }

    /** Keeps the partial file when closing without commit, for a later attempt to resume from. */
    void keepForResume() {
        keep = lock != null;
    }

    /**
     * Makes the verified blob durable and visible under its digest: fsync, then an atomic rename.
     * Another process may have committed the same blob meanwhile; the content is the same. The
     * rename happens before the lock is released, so no other writer appends to a committed blob.
     */
    void commit() throws IOException {
        channel.force(false);
        files.move(partial, target);
        committed = true;
        channel.close();
        endParts();
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            try {
                if (!keep) {
                    files.deleteIfExists(partial);
                } else if (trusted >= 0) {
                    channel.truncate(trustedLength()); // what lies past a gap is not kept
                }
                endParts();
            } finally {
                channel.close();
            }
        }
    }

}
