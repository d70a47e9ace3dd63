package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One stream to its reader, whether the blob stayed on its connection or moved to ranges. */
class SwitchingBodyTest {

    static final byte[] BLOB = new byte[256 * 1024];

    static {
        new Random(3).nextBytes(BLOB);
    }

    /** A connection's body from {@code start}, which notes whether it was closed. */
    static final class Connection extends ByteArrayInputStream {
        boolean closed;

        Connection(int start) {
            super(BLOB, start, BLOB.length - start);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Read before and after each read: every read waits 30 ms, and nothing else takes time. */
    static final class SlowClock {
        long now;
        long readings;

        long read() {
            if (readings++ % 2 == 1) {
                now += 30_000_000L;
            }
            return now;
        }
    }

    @Test
    void aSlowConnectionIsClosedWhereTheReaderIsAndTheRestComesFromRangesInOrder() throws IOException {
        Connection single = new Connection(1000);
        List<Long> asked = new ArrayList<>();
        SlowClock clock = new SlowClock();
        SwitchingBody body = new SwitchingBody(single, 1000, BLOB.length, new LinkProbe(1024), clock::read, from -> {
            asked.add(from);
            return new ByteArrayInputStream(BLOB, (int) from, BLOB.length - (int) from);
        });

        byte[] read = readIn(body, 1024);

        assertArrayEquals(Arrays.copyOfRange(BLOB, 1000, BLOB.length), read, "every byte once, in order");
        assertTrue(body.moved());
        assertTrue(single.closed, "the connection was given up");
        assertEquals(1, asked.size(), "ranges were asked for once");
        // 30 ms per read: the first half second is complete with the 17th read of 1 KiB
        assertEquals(1000 + 17 * 1024, asked.getFirst(), "from exactly where the reader was");
    }

    @Test
    void aConnectionThatKeepsUpIsReadToItsEndWithoutRanges() throws IOException {
        Connection single = new Connection(0);
        long[] now = {0};
        SwitchingBody body = new SwitchingBody(single, 0, BLOB.length, new LinkProbe(1024), () -> now[0]++, from -> {
            throw new AssertionError("no ranges asked for");
        });

        assertArrayEquals(BLOB, readIn(body, 4096));
        assertFalse(body.moved());
        body.close();
        assertTrue(single.closed);
    }

    private static byte[] readIn(InputStream in, int size) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[size];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
