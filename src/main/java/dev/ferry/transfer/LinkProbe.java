package dev.ferry.transfer;

/**
 * Whether a blob coming over one connection should move to ranges over several. Judged over
 * windows of half a second of reading (long enough to span a capped link's bursts, short against
 * the minutes a large layer takes on one): it should when the connection, not ferry, is what the blob
 * waits on (at least half the window spent waiting inside reads: on a fast link ferry's
 * verifying is the bottleneck and the reads find bytes waiting), and what is left would take at
 * least two more seconds at the rate seen, enough for more connections to pay for their requests.
 * A link whose total is what caps it gains little from more connections but loses little either:
 * the same bytes, a request per range.
 */
final class LinkProbe {

    static final long WINDOW_NANOS = 500_000_000L;
    static final long MIN_REMAINING_NANOS = 2_000_000_000L;

    private final long minRemainingBytes;
    private long windowStart = -1;
    private long windowBytes;
    private long windowWaiting;

    /** @param minRemainingBytes below this many bytes left a blob stays on its connection */
    LinkProbe(long minRemainingBytes) {
        this.minRemainingBytes = minRemainingBytes;
    }

    /**
     * Notes one read, which began at {@code before} and returned {@code bytes} at {@code after}
     * (nanosecond clock readings), with {@code remaining} bytes of the blob still to come. True
     * when the blob should move to ranges now.
     */
    boolean read(long before, long after, int bytes, long remaining) {
        if (windowStart < 0) {
            windowStart = before;
        }
        windowWaiting += Math.max(0, after - before);
        windowBytes += Math.max(0, bytes);
        long elapsed = after - windowStart;
        if (elapsed < WINDOW_NANOS) {
            return false;
        }
        boolean linkBound = windowWaiting * 2 >= elapsed;
        // remaining / (windowBytes / elapsed) >= MIN_REMAINING_NANOS, in doubles: the products overflow a long
        boolean worthIt = remaining >= minRemainingBytes
                && (double) remaining * elapsed >= (double) MIN_REMAINING_NANOS * windowBytes;
        windowStart = after;
        windowBytes = 0;
        windowWaiting = 0;
        return linkBound && worthIt;
    }
}
