package dev.ferry.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * A blob's body on one connection that moves to ranges over several once {@link LinkProbe} sees
 * the connection as the bottleneck: the connection is closed where the reader is, and the rest
 * comes from {@link Ranges#from}. The reader sees one stream in order either way, so a pull's tee
 * into its partial file and a copy's upload go on unchanged.
 */
final class SwitchingBody extends InputStream {

    /** The blob's bytes from a position on, fetched in ranges; or {@link MovedToRanges}, for the destination to fetch them. */
    interface Ranges {
        InputStream from(long position) throws IOException;
    }

    private final InputStream single;
    private final long size;
    private final LinkProbe probe;
    private final LongSupplier clock;
    private final Ranges ranges;
    private InputStream ranged;
    private boolean moving;
    private long position;

    /**
     * @param single the body on one connection, from {@code start}
     * @param clock a nanosecond clock, {@link System#nanoTime} outside tests
     */
    SwitchingBody(InputStream single, long start, long size, LinkProbe probe, LongSupplier clock, Ranges ranges) {
        this.single = single;
        this.position = start;
        this.size = size;
        this.probe = probe;
        this.clock = clock;
        this.ranges = ranges;
    }

    /** True once the rest comes, or is to come, in ranges. */
    boolean moved() {
        return moving || ranged != null;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (moving) {
            // On the read after the one that decided: that one's bytes are the reader's already.
            moving = false;
            ranged = ranges.from(position);
        }
        if (ranged != null) {
            return ranged.read(b, off, len);
        }
        long before = clock.getAsLong();
        int n = single.read(b, off, len);
        long after = clock.getAsLong();
        if (n > 0) {
            position += n;
            if (position < size && probe.read(before, after, n, size - position)) {
                closeQuietly(single);
                moving = true;
            }
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        try {
            if (ranged != null) {
                ranged.close();
            }
        } finally {
            single.close();
        }
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // the connection is given up; its bytes so far were read and are counted
        }
    }
}
