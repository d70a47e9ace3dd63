package dev.ferry.digest;

/** A digest string that is malformed or uses an algorithm ferry does not support. */
public final class InvalidDigestException extends IllegalArgumentException {

    private final String value;

    public InvalidDigestException(String value, String reason) {
        super("invalid digest '" + value + "': " + reason);
        this.value = value;
    }

    public String value() {
        return value;
    }
}
