package dev.ferry.transfer;

import java.io.IOException;

/**
 * A blob's one connection was given up part-way because the link is what it waits
 * on: a destination that writes ranges at their offsets fetches the rest that way (a restart that
 * keeps what arrived and counts against no limit).
 */
final class MovedToRanges extends IOException {

    MovedToRanges(long position) {
        super("the link is what this blob waits on: the rest comes in ranges from byte " + position);
    }
}
