package dev.ferry.transfer;

import dev.ferry.digest.Digest;
import java.io.IOException;

/** A destination named by a digest that the copied image cannot have. */
public final class DestinationDigestException extends IOException {

    /** @param target the destination as the user named it */
    public DestinationDigestException(String target, Digest expected, Digest actual) {
        super(target + ": the destination names digest " + expected + " but the image copied is " + actual
                + " (name the destination by a tag, or by the source's digest)");
    }
}
