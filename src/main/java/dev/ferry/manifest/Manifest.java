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
}
