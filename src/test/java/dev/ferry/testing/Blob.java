package dev.ferry.testing;

import dev.ferry.digest.Digest;
import dev.ferry.manifest.Descriptor;

/** Bytes with their media type, ready to be pushed or served. */
public record Blob(String mediaType, byte[] bytes) {

    public Digest digest() {
        return Digest.sha256(bytes);
    }

    public Descriptor descriptor() {
        return new Descriptor(mediaType, digest(), bytes.length);
    }
}
