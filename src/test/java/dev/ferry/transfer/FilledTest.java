package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A buffer is filled from a body that hands out a few bytes per read, as a capped connection does. */
class FilledTest {

    /** Hands out at most {@code step} bytes per read, then fails with {@code failure} (or ends) after {@code limit}. */
    static InputStream trickle(byte[] bytes, int step, int limit, IOException failure) {
        return new InputStream() {
            int at;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (at >= limit) {
                    if (failure != null) {
                        throw failure;
                    }
                    return -1;
                }
                int n = Math.min(Math.min(step, len), limit - at);
                System.arraycopy(bytes, at, b, off, n);
                at += n;
                return n;
            }
        };
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31);
        }
        return b;
    }

    @Test
    void aBodyThatTricklesFillsTheWholeBufferBeforeReturning() {
        byte[] body = bytes(100);
        byte[] buffer = new byte[64];

        Filled fill = Filled.from(trickle(body, 3, 100, null), buffer, 64);

        assertEquals(new Filled(64, null, false), fill);
        assertArrayEquals(Arrays.copyOf(body, 64), buffer);
    }

    @Test
    void aBodyThatBreaksOffKeepsWhatArrivedAndReportsTheFailure() {
        IOException cut = new IOException("reset");
        byte[] buffer = new byte[64];

        Filled fill = Filled.from(trickle(bytes(100), 5, 22, cut), buffer, 64);

        assertEquals(22, fill.bytes());
        assertSame(cut, fill.failure());
        assertFalse(fill.ended());
        assertArrayEquals(Arrays.copyOf(bytes(100), 22), Arrays.copyOf(buffer, 22));
    }

    @Test
    void aBodyThatEndsEarlySaysSoWithTheBytesItHad() {
        Filled fill = Filled.from(new ByteArrayInputStream(bytes(10)), new byte[64], 64);

        assertEquals(10, fill.bytes());
        assertNull(fill.failure());
        assertTrue(fill.ended());
    }
}
