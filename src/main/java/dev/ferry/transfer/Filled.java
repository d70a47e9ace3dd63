package dev.ferry.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * What one fill of a buffer from a body got: a capped connection delivers a few KiB per read, so
 * a reader that fills the buffer first touches what lies behind it once per buffer, not per packet.
 *
 * @param bytes how many bytes the buffer holds from its start
 * @param failure why the body stopped before the buffer was full, or null
 * @param ended the body ended before the buffer was full (no failure thrown)
 */
record Filled(int bytes, IOException failure, boolean ended) {

    /** Reads into {@code buffer[0, want)} until it is full, the body ends, or a read fails. */
    static Filled from(InputStream body, byte[] buffer, int want) {
        return from(body, buffer, want, ReadPacing.NONE, System::nanoTime, LockSupport::parkNanos);
    }

    /** As {@link #from(InputStream, byte[], int)}, pausing after short reads ({@link ReadPacing#DEFAULT}). */
    static Filled paced(InputStream body, byte[] buffer, int want) {
        return from(body, buffer, want, ReadPacing.DEFAULT, System::nanoTime, LockSupport::parkNanos);
    }

    /** As {@link #from(InputStream, byte[], int)}, waiting after short reads as {@code pacing} says. */
    static Filled from(InputStream body, byte[] buffer, int want, ReadPacing pacing, LongSupplier clock,
            Pause pause) {
        int filled = 0;
        long start = clock.getAsLong();
        while (filled < want) {
            int n;
            try {
                n = body.read(buffer, filled, want - filled);
            } catch (IOException e) {
                return new Filled(filled, e, false);
            }
            if (n < 0) {
                return new Filled(filled, null, true);
            }
            filled += n;
            long wait = pacing.pauseAfter(n, filled, want - filled, clock.getAsLong() - start);
            if (wait > 0) {
                pause.nanos(wait);
                if (Thread.currentThread().isInterrupted()) {
                    return new Filled(filled, new InterruptedIOException("interrupted while reading"), false);
                }
            }
        }
        return new Filled(filled, null, false);
    }

    /** Waits; a seam so that tests count pauses instead of taking them. */
    @FunctionalInterface
    interface Pause {
        void nanos(long nanos);
    }
}
