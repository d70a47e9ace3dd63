package dev.ferry.transfer;

import java.io.IOException;

/** A source layout that does not hold the image asked for; the message lists what it holds. */
public final class LayoutImageNotFoundException extends IOException {

    public LayoutImageNotFoundException(String message) {
        super(message);
    }
}
