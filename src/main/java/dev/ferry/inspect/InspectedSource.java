package dev.ferry.inspect;

import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import java.io.IOException;
import java.util.List;

/** Where an inspected image is read from: a registry repository or an OCI layout. */
public interface InspectedSource {

    /** A manifest by tag, name or digest, with its bytes as stored. */
    Manifest manifest(String reference) throws IOException;

    /** A manifest an index names; the descriptor's media type helps sources that store no content type. */
    default Manifest manifest(Descriptor child) throws IOException {
        return manifest(child.digest().toString());
    }

    /** A small blob (a config) read whole and verified. */
    byte[] blobBytes(Descriptor descriptor, int maxBytes) throws IOException;

    /** The repository's tags; none for a layout, as skopeo prints none. */
    List<String> tags() throws IOException;

    /** What skopeo prints as {@code Name}: the repository; null for a layout, which skopeo leaves out. */
    String name();
}
