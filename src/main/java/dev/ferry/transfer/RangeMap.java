package dev.ferry.transfer;

/**
 * Which ranges of a blob's rest are handed out and how far each is filled, for {@link RangeFetch}:
 * ranges go out in order, at most a window of them ahead of the first incomplete one and, with a
 * reader that frees what it read, at most {@code limit} bytes ahead of it. Not thread-safe: its
 * owner's lock guards it.
 */
final class RangeMap {

    private final long from;
    private final long size;
    private final long chunk;
    private final int ranges;
    private final int window;
    private final long limit;
    private final long[] filled;
    private int next;
    private int firstIncomplete;
    private long frontier;
    private long consumed;

    /** The bytes {@code [from, size)} in ranges of {@code chunk}. */
    RangeMap(long from, long size, long chunk, int window, long limit) {
        this.from = from;
        this.size = size;
        this.chunk = chunk;
        this.ranges = (int) Math.ceilDiv(size - from, chunk);
        this.window = Math.max(1, Math.min(window, ranges));
        this.limit = limit;
        this.filled = new long[ranges];
        this.frontier = ranges == 0 ? size : from;
        this.consumed = from;
    }

    int ranges() {
        return ranges;
    }

    /** Where the run of written bytes from the start ends. */
    long frontier() {
        return frontier;
    }

    /** Every range was handed out. */
    boolean exhausted() {
        return next >= ranges;
    }

    /** No room for the next range: too far ahead of the first incomplete one, or of the reader. */
    boolean full() {
        return next >= firstIncomplete + window || end(next) - consumed > limit;
    }

    /** Hands out the next range; the caller checked that there is one and room for it. */
    int claim() {
        return next++;
    }

    long start(int range) {
        return from + range * chunk;
    }

    long end(int range) {
        return Math.min(start(range) + chunk, size);
    }

    /** Where the range's next byte goes. */
    long position(int range) {
        return start(range) + filled[range];
    }

    /**
     * Counts {@code n} bytes written to the range. Returns the new complete prefix when ranges at
     * the frontier completed (to be recorded), else -1.
     */
    long advance(int range, int n) {
        filled[range] += n;
        if (range != firstIncomplete) {
            return -1;
        }
        long complete = -1;
        while (firstIncomplete < ranges && filled[firstIncomplete] == end(firstIncomplete) - start(firstIncomplete)) {
            firstIncomplete++;
            complete = firstIncomplete < ranges ? start(firstIncomplete) : size;
        }
        frontier = firstIncomplete < ranges ? position(firstIncomplete) : size;
        return complete;
    }

    /** The reader is done with every byte before {@code position}; true when that freed room. */
    boolean consumed(long position) {
        if (position <= consumed) {
            return false;
        }
        consumed = position;
        return true;
    }
}
