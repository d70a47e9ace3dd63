package dev.ferry.manifest;

import dev.ferry.digest.Digest;

/**
 * A manifest as served: the raw bytes are kept, because digests and copies are always over the
 * bytes the registry has, never over re-serialized JSON.
 */
public sealed interface Manifest permits ImageIndex, ImageManifest {

    MediaType mediaType();

    byte[] raw();

    Digest digest();

    /** A descriptor that points at this manifest. */
    default Descriptor descriptor() {
        return new Descriptor(mediaType().value(), digest(), raw().length);
    }

    /**
     * Refuses a manifest value whose digest is not that of its bytes: digests and stored copies
     * are taken from a manifest's value, so it is only ever made from bytes that hash to it.
     */
    static void requireDigestOf(byte[] raw, Digest digest) {
        if (raw == null || digest == null || !digest.computeOver(raw).equals(digest)) {
            throw new IllegalArgumentException("a manifest's digest must be the digest of its bytes");
        }
    }
}
