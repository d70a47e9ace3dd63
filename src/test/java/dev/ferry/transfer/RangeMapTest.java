package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RangeMapTest {

    @Test
    void rangesGoOutInOrderAndNoMoreThanTheWindowAheadOfTheFirstIncompleteOne() {
        RangeMap map = new RangeMap(100, 1100, 100, 3, Long.MAX_VALUE);

        assertEquals(10, map.ranges());
        assertEquals(0, map.claim());
        assertEquals(1, map.claim());
        assertEquals(2, map.claim());
        assertTrue(map.full(), "three out, none complete");
        assertEquals(-1, map.advance(1, 100), "a later range completing moves no prefix");
        assertTrue(map.full());
        assertEquals(300, map.advance(0, 100), "the first two ranges are complete up to byte 300");
        assertFalse(map.full());
        assertEquals(300, map.frontier());
    }

    @Test
    void theFrontierFollowsTheFirstIncompleteRangeAsItFillsAndTheLastRangeEndsAtTheSize() {
        RangeMap map = new RangeMap(0, 250, 100, 4, Long.MAX_VALUE);

        assertEquals(3, map.ranges());
        assertEquals(250, map.end(2));
        map.claim();
        assertEquals(-1, map.advance(0, 40));
        assertEquals(40, map.frontier());
        assertEquals(40, map.position(0));
        map.claim();
        map.claim();
        map.advance(2, 50);
        map.advance(1, 100);
        assertEquals(250, map.advance(0, 60), "all complete: the whole blob");
        assertEquals(250, map.frontier());
        assertTrue(map.exhausted());
    }

    @Test
    void withAReaderARangeGoesOutOnlyWhenItFitsWithinTheLimitPastWhatWasRead() {
        RangeMap map = new RangeMap(0, 1000, 100, 10, 200);

        map.claim();
        map.claim();
        assertTrue(map.full(), "the third range would end 300 bytes past the reader");
        map.advance(0, 100);
        map.advance(1, 100);
        assertTrue(map.full(), "complete but not read: its place is not free");
        assertTrue(map.consumed(100));
        assertFalse(map.full());
        assertFalse(map.consumed(50), "the reader never goes back");
    }
}
