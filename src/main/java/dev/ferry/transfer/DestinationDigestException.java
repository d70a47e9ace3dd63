package dev.ferry.transfer;

import dev.ferry.digest.Digest;
import dev.ferry.reference.ImageReference;
import java.io.IOException;

/** A destination named by a digest that the copied image cannot have. */
public final class DestinationDigestException extends IOException {

    public DestinationDigestException(ImageReference target, Digest actual) {
        super(target + ": the destination names digest " + target.digest() + " but the image copied is " + actual
                + " (name the destination by a tag, or by the source's digest)");
    }
}
