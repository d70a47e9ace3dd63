package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When one connection's blob moves to ranges: readings of a nanosecond clock, no real time. */
class LinkProbeTest {

    static final long MS = 1_000_000L;
    static final long KIB = 1024;

    /** Feeds reads of {@code bytes} each taking {@code waitMs} in the read and {@code workMs} after it; true once it says move. */
    static int readsUntilMove(LinkProbe probe, int reads, long waitMs, long workMs, int bytes, long remaining) {
        long now = 0;
        for (int i = 1; i <= reads; i++) {
            long before = now;
            now += waitMs * MS;
            remaining -= bytes;
            if (probe.read(before, now, bytes, remaining)) {
                return i;
            }
            now += workMs * MS;
        }
        return -1;
    }

    @Test
    void aConnectionThatKeepsTheReaderWaitingWithMuchLeftMovesAfterItsFirstHalfSecond() {
        // 64 KiB per 10 ms waited: 6.4 MiB/s, with 100 MiB left (15 s at that rate)
        int move = readsUntilMove(new LinkProbe(16 * 1024 * KIB), 1000, 10, 0, 64 * 1024, 100 * 1024 * KIB);

        assertTrue(move == 50, "it moves at the read that completes the first half second, not before: " + move);
    }

    @Test
    void readsThatFindBytesWaitingNeverMoveHoweverMuchIsLeft() {
        // the reader works 9 ms for each 1 ms it waits: the reader, not the link, is the bottleneck
        int move = readsUntilMove(new LinkProbe(16 * 1024 * KIB), 2000, 1, 9, 64 * 1024, 10L * 1024 * 1024 * KIB);

        assertTrue(move < 0, "never moved: " + move);
    }

    @Test
    void lessThanTwoSecondsLeftAtTheRateSeenStaysOnOneConnection() {
        // 6.4 MiB/s with 9 MiB left after the first half second: under two seconds more
        int move = readsUntilMove(new LinkProbe(KIB), 1000, 10, 0, 64 * 1024, 12 * 1024 * KIB);

        assertTrue(move < 0, "never moved: " + move);
    }

    @Test
    void fewerBytesLeftThanTheProbesMinimumStayOnOneConnection() {
        // slow enough, but the blob is nearly done
        int move = readsUntilMove(new LinkProbe(64 * 1024 * KIB), 1000, 100, 0, 64 * 1024, 32 * 1024 * KIB);

        assertTrue(move < 0, "never moved: " + move);
    }

    @Test
    void eachWindowIsJudgedOnItsOwnSoALinkThatSlowsLaterStillMoves() {
        LinkProbe probe = new LinkProbe(KIB);
        long now = 0;
        long remaining = 1024 * 1024 * KIB;
        // a second of fast reads that wait little
        for (int i = 0; i < 100; i++) {
            long before = now;
            now += MS;
            assertFalse(probe.read(before, now, 64 * 1024, remaining -= 64 * 1024));
            now += 9 * MS;
        }
        // then the link is what the reader waits on
        boolean moved = false;
        for (int i = 0; i < 200 && !moved; i++) {
            long before = now;
            now += 10 * MS;
            moved = probe.read(before, now, 16 * 1024, remaining -= 16 * 1024);
        }
        assertTrue(moved, "a later, slower half second moves it");
    }
}
