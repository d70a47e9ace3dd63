package dev.ferry.manifest;

import java.io.IOException;

/** A manifest or config that is malformed, or of a kind ferry does not handle. */
public final class ManifestException extends IOException {

    private final String subject;
    private final boolean unsupported;

    private ManifestException(String subject, String message, boolean unsupported, Throwable cause) {
        super(subject + ": " + message, cause);
        this.subject = subject;
        this.unsupported = unsupported;
    }

    public static ManifestException invalid(String subject, String message, Throwable cause) {
        return new ManifestException(subject, message, false, cause);
    }

    public static ManifestException unsupported(String subject, String message) {
        return new ManifestException(subject, message, true, null);
    }

    public String subject() {
        return subject;
    }

    public boolean unsupported() {
        return unsupported;
    }
}
