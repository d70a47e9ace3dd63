package dev.ferry.layout;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.function.BooleanSupplier;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/**
 * Copies every byte read from the source to a sink and reports the count, so that one read of
 * the network stream feeds the file, the progress display and whoever parses the content. Remembers
 * the source's own failure, so that a caller can tell a network error from a decompression error.
 */
final class TeeInputStream extends FilterInputStream {

    private final OutputStream sink;
    private final LongConsumer progress;
    private final BooleanSupplier cancelled;
    private final long sinkFrom;
    private long position;
    private IOException sourceFailure;
    private IOException pending;

    /** @param sinkFrom the first {@code sinkFrom} bytes are not copied: the sink holds them already */
    TeeInputStream(InputStream source, OutputStream sink, long sinkFrom, LongConsumer progress,
            BooleanSupplier cancelled) {
        super(source);
        this.sink = sink;
        this.sinkFrom = sinkFrom;
        this.progress = progress;
        this.cancelled = cancelled;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (cancelled.getAsBoolean()) {
            throw new InterruptedIOException("cancelled: another blob of this transfer failed");
        }
        if (pending != null) {
            throw pending;
        }
        // Fill the caller's buffer: a socket stream hands out 8 KiB at a time, and a write plus a
        // progress event per 8 KiB costs more than the hashing. Bytes that arrived before the source
        // failed are passed on first (a resume starts after them); the failure comes at the next read.
        int n = 0;
        try {
            while (n < len) {
                int r = in.read(b, off + n, len - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            sourceFailure = e;
            if (n == 0) {
                throw e;
            }
            pending = e;
        }
        if (n == 0 && len > 0) {
            n = -1;
        }
        if (n > 0) {
            long skipped = Math.clamp(sinkFrom - position, 0, n);
            if (skipped < n) {
                sink.write(b, off + (int) skipped, n - (int) skipped);
            }
            position += n;
            progress.accept(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 65536)];
        int read = read(buffer, 0, buffer.length);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** True when {@code e} is the source's own failure (network, size, digest), not a reader's. */
    boolean isSourceFailure(IOException e) {
        return e == sourceFailure;
    }

    /** Reads to the end, so that the source verifies what it could not have verified before. */
    void drain() throws IOException {
        byte[] buffer = new byte[BlobReceiver.BUFFER];
        while (read(buffer, 0, buffer.length) >= 0) {
            // the bytes go to the sink
        }
    }
}
