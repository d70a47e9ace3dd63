package dev.ferry.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Digest;
import dev.ferry.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Checks an OCI layout from the outside, the way another tool would read it. */
public final class LayoutAssertions {

    private LayoutAssertions() {
    }

    public static JsonNode index(Path layout) throws IOException {
        return Json.MAPPER.readTree(Files.readAllBytes(layout.resolve("index.json")));
    }

    /**
     * Walks index.json and every manifest it reaches; every blob referenced must exist and hash to
     * its digest. Returns the digests reached.
     */
    public static Set<Digest> assertEveryReferencedBlobVerifies(Path layout) throws IOException {
        assertTrue(Files.exists(layout.resolve("oci-layout")), "oci-layout missing");
        Set<Digest> reached = new LinkedHashSet<>();
        for (JsonNode entry : index(layout).path("manifests")) {
            walk(layout, entry, reached);
        }
        return reached;
    }

    private static void walk(Path layout, JsonNode descriptor, Set<Digest> reached) throws IOException {
        Digest digest = Digest.parse(descriptor.get("digest").asString());
        if (!reached.add(digest)) {
            return;
        }
        Path blob = layout.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
        assertTrue(Files.exists(blob), "referenced blob missing: " + digest);
        assertEquals(descriptor.get("size").asLong(), Files.size(blob), "size of " + digest);
        assertEquals(digest, hash(blob), "content of " + digest);
        String type = descriptor.path("mediaType").asString("");
        if (type.contains("manifest") || type.contains("index")) {
            JsonNode manifest = Json.MAPPER.readTree(Files.readAllBytes(blob));
            for (JsonNode child : manifest.path("manifests")) {
                walk(layout, child, reached);
            }
            if (manifest.has("config")) {
                walk(layout, manifest.get("config"), reached);
            }
            for (JsonNode layer : manifest.path("layers")) {
                walk(layout, layer, reached);
            }
        }
    }

    public static Digest hash(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return new Digest("sha256", HexFormat.of().formatHex(md.digest()));
    }

    /** The blob files present in the layout, by digest. */
    public static Set<String> blobFiles(Path layout) throws IOException {
        try (var files = Files.list(layout.resolve("blobs").resolve("sha256"))) {
            return new java.util.TreeSet<>(files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
