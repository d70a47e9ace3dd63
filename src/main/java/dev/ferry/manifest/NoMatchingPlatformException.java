package dev.ferry.manifest;

import java.io.IOException;

/** An index that has no manifest for the wanted platform; the message lists what it has. */
public final class NoMatchingPlatformException extends IOException {

    private final String subject;

    public NoMatchingPlatformException(String subject, Platform wanted, String available) {
        super(subject + ": no manifest for platform " + wanted + " (available: " + available
                + "); choose one with --override-os/--override-arch/--override-variant");
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
