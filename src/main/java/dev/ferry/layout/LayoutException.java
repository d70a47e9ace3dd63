package dev.ferry.layout;

import java.io.IOException;

/** An OCI layout that cannot be used: not a layout, an unreadable index.json, a wrong version. */
public final class LayoutException extends IOException {

    public LayoutException(String message) {
        super(message);
    }

    public LayoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
