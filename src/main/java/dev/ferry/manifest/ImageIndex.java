package dev.ferry.manifest;

import dev.ferry.digest.Digest;
import java.util.List;
import java.util.Map;

/** An OCI image index or a Docker manifest list. */
public record ImageIndex(
        MediaType mediaType,
        byte[] raw,
        Digest digest,
        List<Descriptor> manifests,
        Map<String, String> annotations) implements Manifest {

    public ImageIndex {
        Manifest.requireDigestOf(raw, digest);
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
        annotations = annotations == null ? Map.of() : annotations;
    }
}
