package dev.ferry.layout;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Fetches the rest of a blob over several connections at once, into its partial file at the
 * parts' offsets, for {@link BlobReceiver#acceptParts}: the receiver verifies the contiguous
 * prefix in order as it is filled, so verification ends with the last byte.
 */
public interface BlobParts extends AutoCloseable {

    /** Where the parts go: the partial file, at their offsets in the blob. */
    interface Target {
        /** Writes bytes at their offset in the blob. */
        void write(long position, ByteBuffer bytes) throws IOException;

        /** Every byte before {@code end} is written: recorded, so that a later run resumes there. */
        void filledTo(long end) throws IOException;
    }

    /** Starts fetching the bytes from {@code from} to the blob's end into {@code target}; returns at once. */
    void start(long from, Target target) throws IOException;

    /**
     * Waits until the byte at {@code position} is written, and returns where the run of written
     * bytes from there ends (beyond {@code position}). When the fetch failed, the bytes written
     * before the failure are still handed out; then the failure is thrown.
     */
    long awaitFilled(long position) throws IOException;

    /** Stops the fetches and waits for them: nothing is written after this returns. */
    @Override
    void close();
}
