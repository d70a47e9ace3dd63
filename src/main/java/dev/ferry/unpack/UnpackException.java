package dev.ferry.unpack;

import java.io.IOException;

/** A layer that cannot be applied at all: corrupt tar, or a limit of {@link UnpackLimits} reached. */
public final class UnpackException extends IOException {

    public UnpackException(String message) {
        super(message);
    }

    public UnpackException(String message, Throwable cause) {
        super(message, cause);
    }
}
