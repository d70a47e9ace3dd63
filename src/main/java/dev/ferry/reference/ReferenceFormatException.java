package dev.ferry.reference;

/** A reference string that does not follow the Docker reference grammar. */
public final class ReferenceFormatException extends IllegalArgumentException {

    private final String reference;

    public ReferenceFormatException(String reference, String reason) {
        super("invalid reference '" + reference + "': " + reason);
        this.reference = reference;
    }

    public String reference() {
        return reference;
    }
}
