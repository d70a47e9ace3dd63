package dev.ferry.transfer;

/**
 * How long a reader filling a buffer from a slow connection waits after a short read, so that
 * the next read finds a block of bytes instead of one burst. A connection capped at 10 MiB/s
 * (a CDN edge, a proxy's per-connection rate) hands out a burst every millisecond or two: reading
 * each one costs a wake-up, a poll and a read per 16 KiB, tens of thousands for a large layer over
 * a dozen connections, and on a busy machine that CPU is taken from verification. This is what
 * the socket's receive low-water mark would do, in user space and bounded: the wait is at most
 * what {@link #GATHER} bytes take at the rate the fill has seen, so the kernel's receive buffer
 * (far larger) never fills and the sender is never held back; a fast connection, whose reads come
 * back large, is never paused.
 */
record ReadPacing(long maxPauseNanos) {

    /** A read this large is not short: the connection is keeping up with the reader. */
    static final int SHORT_READ = 64 * 1024;
    /** What a pause lets arrive, at most, at the rate seen. */
    static final long GATHER = 64 * 1024;
    /** Pauses shorter than this save nothing: the wake-up costs what the pause would spare. */
    static final long MIN_PAUSE_NANOS = 1_000_000;

    static final ReadPacing DEFAULT = new ReadPacing(5_000_000);
    static final ReadPacing NONE = new ReadPacing(0);

    /**
     * The pause before the next read, in nanoseconds (0 for none).
     *
     * @param read what the last read returned
     * @param filled the bytes the buffer holds, counting that read
     * @param room what the buffer can still take
     * @param elapsedNanos time since the fill began
     */
    long pauseAfter(int read, long filled, long room, long elapsedNanos) {
        if (maxPauseNanos <= 0 || read >= SHORT_READ || room <= 0 || filled <= 0 || elapsedNanos <= 0) {
            return 0;
        }
        // Nanoseconds for GATHER bytes at the rate this fill has seen; in double, as a slow rate
        // makes a large quotient.
        double gather = (double) GATHER * elapsedNanos / filled;
        long pause = (long) Math.min(maxPauseNanos, Math.min(gather, (double) room * elapsedNanos / filled));
        return pause < MIN_PAUSE_NANOS ? 0 : pause;
    }
}
