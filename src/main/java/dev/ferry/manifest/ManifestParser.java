package dev.ferry.manifest;

import dev.ferry.digest.Digest;
import dev.ferry.json.JsonFields;
import dev.ferry.json.JsonTrees;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Turns manifest bytes into a typed {@link Manifest}. The kind comes from the body's
 * {@code mediaType}, then from the Content-Type (OCI allows leaving {@code mediaType} out, and
 * umoci does), then from the shape of the body.
 */
public final class ManifestParser {

    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /**
     * The most entries an index may have. Each entry is a request for whoever inspects or copies
     * every platform; real indexes have a few dozen (platforms and their attestations), and 4 MiB
     * of JSON could name 20,000 or more.
     */
    public static final int MAX_INDEX_ENTRIES = 1000;
    /** The most layers an image manifest may have (Docker's own limit is 127; overlayfs stops near 500). */
    public static final int MAX_LAYERS = 1000;

    private ManifestParser() {
    }

    /**
     * @param subject what the bytes are, for messages (a reference)
     * @param contentType the Content-Type the registry sent, or null
     */
    public static Manifest parse(String subject, byte[] raw, String contentType) throws ManifestException {
        return parse(subject, raw, contentType, Digest.sha256(raw));
    }

    /** As {@link #parse(String, byte[], String)}, with the digest already computed by the caller. */
    public static Manifest parse(String subject, byte[] raw, String contentType, Digest digest) throws ManifestException {
        JsonNode root;
        try {
            root = JsonTrees.read(raw);
        } catch (JacksonException e) {
            throw ManifestException.invalid(subject, "the manifest is not valid JSON (" + firstLine(e) + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw ManifestException.invalid(subject, "the manifest is not a JSON object", null);
        }
        MediaType type = kindOf(subject, root, contentType);
        try {
            Map<String, String> annotations = JsonFields.stringMap(root, "annotations", "manifest");
            if (type.isIndex()) {
                requireAtMost(subject, root.get("manifests"), MAX_INDEX_ENTRIES, "entries", "an index");
                List<Descriptor> manifests = descriptors(root, "manifests");
                for (Descriptor d : manifests) {
                    requireDigest(subject, d);
                }
                return new ImageIndex(type, raw, digest, manifests, annotations);
            }
            if (!root.hasNonNull("config")) {
                throw ManifestException.invalid(subject, "the image manifest has no config descriptor", null);
            }
            requireAtMost(subject, root.get("layers"), MAX_LAYERS, "layers", "an image manifest");
            Descriptor config = ManifestTrees.descriptor(root.get("config"), "manifest.config");
            List<Descriptor> layers = descriptors(root, "layers");
            for (Descriptor d : layers) {
                requireDigest(subject, d);
            }
            requireDigest(subject, config);
            return new ImageManifest(type, raw, digest, config, layers, annotations);
        } catch (JacksonException | IllegalArgumentException e) {
            throw ManifestException.invalid(subject, "malformed manifest: " + rootMessage(e), e);
        }
    }

    private static List<Descriptor> descriptors(JsonNode root, String name) {
        List<Descriptor> list = JsonFields.list(root, name, "manifest", d -> ManifestTrees.descriptor(d, "manifest." + name));
        return list == null ? new ArrayList<>() : list;
    }

    private static void requireAtMost(String subject, JsonNode list, int most, String what, String holder)
            throws ManifestException {
        if (list != null && list.size() > most) {
            throw ManifestException.invalid(subject, "the manifest lists " + list.size() + " " + what + ", more than the "
                    + most + " ferry accepts in " + holder, null);
        }
    }

    private static void requireDigest(String subject, Descriptor d) throws ManifestException {
        if (d == null || d.digest() == null) {
            throw ManifestException.invalid(subject, "a descriptor in the manifest has no digest", null);
        }
        if (d.size() < 0) {
            throw ManifestException.invalid(subject, "descriptor " + d.digest() + " has a negative size", null);
        }
    }

    private static MediaType kindOf(String subject, JsonNode root, String contentType) throws ManifestException {
        JsonNode schemaVersion = root.get("schemaVersion");
        if (schemaVersion != null && schemaVersion.asInt() == 1) {
            throw ManifestException.unsupported(subject,
                    "Docker schema 1 manifests are not supported (deprecated since 2017; re-push the image with a current client)");
        }
        String declared = root.hasNonNull("mediaType") ? root.get("mediaType").asString() : null;
        if (declared != null) {
            return MediaType.of(declared).orElseThrow(() -> unsupportedType(subject, declared));
        }
        if (contentType != null && MediaType.of(contentType).isPresent()) {
            return MediaType.of(contentType).get();
        }
        if (contentType != null) {
            String bare = MediaType.bare(contentType);
            if (bare.equals(MediaType.DOCKER_SCHEMA1) || bare.equals(MediaType.DOCKER_SCHEMA1_SIGNED)) {
                throw ManifestException.unsupported(subject, "Docker schema 1 manifests are not supported");
            }
        }
        // Neither the body nor the header says: OCI's own shape rules decide.
        if (root.has("manifests")) {
            return MediaType.OCI_INDEX;
        }
        if (root.has("config") && root.has("layers")) {
            return MediaType.OCI_MANIFEST;
        }
        throw unsupportedType(subject, contentType);
    }

    private static ManifestException unsupportedType(String subject, String type) {
        return ManifestException.unsupported(subject, "unsupported manifest media type '" + type
                + "' (ferry reads OCI image indexes and manifests, Docker manifest lists and schema2 manifests)");
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return firstLine(t);
    }

    private static String firstLine(Throwable e) {
        String message = e instanceof JacksonException je ? je.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
