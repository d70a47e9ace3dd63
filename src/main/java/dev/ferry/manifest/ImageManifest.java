package dev.ferry.manifest;

import dev.ferry.digest.Digest;
import java.util.List;
import java.util.Map;

/** An OCI image manifest or a Docker schema2 manifest: one config and its layers. */
public record ImageManifest(
        MediaType mediaType,
        byte[] raw,
        Digest digest,
        Descriptor config,
        List<Descriptor> layers,
        Map<String, String> annotations) implements Manifest {

    public ImageManifest {
        Manifest.requireDigestOf(raw, digest);
        layers = layers == null ? List.of() : List.copyOf(layers);
        annotations = annotations == null ? Map.of() : annotations;
    }
}
