package dev.ferry.digest;

import java.io.IOException;

/**
 * Content that does not match what it was promised to be: a digest or a size mismatch. An
 * {@link IOException} so that it can travel through the streams that detect it.
 */
public final class VerificationException extends IOException {

    private final String subject;

    public VerificationException(String subject, String message) {
        super(subject + ": " + message);
        this.subject = subject;
    }

    public static VerificationException digestMismatch(String subject, Digest expected, Digest actual) {
        return new VerificationException(subject, "digest mismatch: expected " + expected + ", got " + actual);
    }

    public static VerificationException sizeMismatch(String subject, long expected, long actual) {
        return new VerificationException(subject, "size mismatch: expected " + expected + " bytes, got " + actual
                + (actual > expected ? " or more" : ""));
    }

    /** What the content was about: a blob digest, a manifest reference. */
    public String subject() {
        return subject;
    }
}
