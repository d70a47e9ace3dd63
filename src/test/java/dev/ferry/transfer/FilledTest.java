package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    @Test
    void aSlowBodyIsReadInBlocksWithShortPausesBetweenItsBursts() {
        byte[] body = bytes(256 * 1024);
        byte[] buffer = new byte[body.length];
        long[] now = {0};
        List<Long> pauses = new ArrayList<>();
        // 16 KiB per read, 1.6 ms apart: what a connection capped at 10 MiB/s hands out.
        InputStream slow = new FilterInputStream(trickle(body, 16 * 1024, body.length, null)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                now[0] += 1_600_000;
                return super.read(b, off, len);
            }
        };

        Filled fill = Filled.from(slow, buffer, buffer.length, ReadPacing.DEFAULT, () -> now[0], nanos -> {
            pauses.add(nanos);
            now[0] += nanos;
        });

        assertEquals(new Filled(body.length, null, false), fill);
        assertArrayEquals(body, buffer);
        assertFalse(pauses.isEmpty());
        assertTrue(pauses.stream().allMatch(p -> p >= ReadPacing.MIN_PAUSE_NANOS && p <= 5_000_000), pauses::toString);
    }

    @Test
    void aBodyWhoseReadsComeBackLargeIsNeverPaused() {
        byte[] body = bytes(512 * 1024);
        List<Long> pauses = new ArrayList<>();
        long[] now = {0};

        Filled fill = Filled.from(trickle(body, 128 * 1024, body.length, null), new byte[body.length], body.length,
                ReadPacing.DEFAULT, () -> now[0] += 50_000_000, pauses::add);

        assertEquals(body.length, fill.bytes());
        assertEquals(List.of(), pauses);
    }

    @Test
    void aPauseLetsNoMoreArriveThanABlockAtTheRateSeenAndNeverExceedsItsBound() {
        ReadPacing pacing = new ReadPacing(5_000_000);

        // 1 MiB/s: 64 KiB would take 62 ms; the bound holds it to 5 ms.
        assertEquals(5_000_000, pacing.pauseAfter(1024, 1024, 1 << 20, 1_000_000));
        // 64 MiB/s: 64 KiB take about 1 ms.
        long fast = pacing.pauseAfter(16 * 1024, 64 * 1024, 1 << 20, 1_000_000);
        assertTrue(fast >= ReadPacing.MIN_PAUSE_NANOS && fast < 1_100_000, "pause " + fast);
        // Faster still: nothing worth pausing for.
        assertEquals(0, pacing.pauseAfter(16 * 1024, 1 << 20, 1 << 20, 1_000_000));
        // A full buffer, a long read, or nothing yet read: no pause.
        assertEquals(0, pacing.pauseAfter(1024, 1024, 0, 1_000_000));
        assertEquals(0, pacing.pauseAfter(ReadPacing.SHORT_READ, 1024, 1 << 20, 1_000_000));
        assertEquals(0, pacing.pauseAfter(0, 0, 1 << 20, 1_000_000));
        // The pause never outlasts what filling the rest of the buffer takes at that rate.
        assertEquals(2_000_000, pacing.pauseAfter(1024, 1024, 2048, 1_000_000));
        assertEquals(0, ReadPacing.NONE.pauseAfter(1024, 1024, 1 << 20, 1_000_000));
    }

    @Test
    void anInterruptDuringAPauseEndsTheFillWithWhatArrivedAndSaysWhy() {
        byte[] body = bytes(64 * 1024);
        long[] now = {0};
        try {
            Filled fill = Filled.from(trickle(body, 1024, body.length, null), new byte[body.length], body.length,
                    ReadPacing.DEFAULT, () -> now[0] += 1_000_000, nanos -> Thread.currentThread().interrupt());

            assertEquals(1024, fill.bytes());
            assertInstanceOf(InterruptedIOException.class, fill.failure());
        } finally {
            Thread.interrupted();
        }
    }
}
