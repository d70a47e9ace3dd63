package dev.ferry.testing;

import dev.ferry.digest.Digest;
import dev.ferry.json.Json;
import dev.ferry.manifest.MediaType;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Indexes and manifests a hostile registry could serve: built entry by entry, with any repetition. */
public final class CraftedIndex {

    private final ObjectNode root = Json.MAPPER.createObjectNode();
    private final ArrayNode manifests;

    public CraftedIndex() {
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaType.OCI_INDEX.value());
        manifests = root.putArray("manifests");
    }

    /** Adds an entry naming the manifest, for the platform {@code os/arch}, with the manifest's own media type. */
    public CraftedIndex entry(Blob manifest, String platform) {
        return entry(manifest, manifest.mediaType(), platform);
    }

    /** Adds an entry naming the manifest with the media type given (which may not be the manifest's). */
    public CraftedIndex entry(Blob manifest, String mediaType, String platform) {
        ObjectNode entry = manifests.addObject();
        entry.put("mediaType", mediaType);
        entry.put("digest", manifest.digest().toString());
        entry.put("size", manifest.bytes().length);
        String[] parts = platform.split("/");
        entry.putObject("platform").put("architecture", parts[1]).put("os", parts[0]);
        return this;
    }

    public Blob build() {
        return new Blob(MediaType.OCI_INDEX.value(), Json.MAPPER.writeValueAsBytes(root));
    }

    /** The n-th of many distinct image manifests; its config is not served (inspect reads it only for the chosen one). */
    public static Blob manifest(int n) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaType.OCI_MANIFEST.value());
        root.putObject("config").put("mediaType", MediaType.OCI_CONFIG)
                .put("digest", Digest.sha256(("config " + n).getBytes(StandardCharsets.UTF_8)).toString())
                .put("size", 2);
        root.putArray("layers");
        return new Blob(MediaType.OCI_MANIFEST.value(), Json.MAPPER.writeValueAsBytes(root));
    }
}
