package dev.ferry.convert;

import dev.ferry.digest.Digest;
import dev.ferry.json.Json;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import dev.ferry.manifest.ManifestParser;
import dev.ferry.manifest.MediaType;
import dev.ferry.transfer.ForwardingSource;
import dev.ferry.transfer.ImageSource;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A source whose Docker schema2 manifests and lists are served as OCI manifests and indexes (what
 * {@code --format oci} asks for, so that skopeo and umoci read the layout): media types renamed,
 * every other field and every blob as they are. The manifests' bytes, and so their digests, change;
 * an index names its converted children by their new digests, which this source then serves.
 */
public final class OciConvertingSource extends ForwardingSource {

    private static final Map<String, String> TYPES = Map.of(
            MediaType.DOCKER_MANIFEST.value(), MediaType.OCI_MANIFEST.value(),
            MediaType.DOCKER_MANIFEST_LIST.value(), MediaType.OCI_INDEX.value(),
            MediaType.DOCKER_CONFIG, MediaType.OCI_CONFIG,
            "application/vnd.docker.image.rootfs.diff.tar.gzip", "application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.docker.image.rootfs.diff.tar", "application/vnd.oci.image.layer.v1.tar",
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip");

    /** Converted manifests by their new digests, for an index's children. */
    private final Map<Digest, Manifest> converted = new ConcurrentHashMap<>();
    private volatile Digest originalRoot;

    public OciConvertingSource(ImageSource source) {
        super(source);
    }

    /** The digest the source's own top manifest has (before conversion), once it was read. */
    public Digest originalRoot() {
        return originalRoot;
    }

    @Override
    public Manifest manifest(String reference) throws IOException {
        Manifest read = delegate().manifest(reference);
        originalRoot = read.digest();
        return convert(read);
    }

    @Override
    public Manifest manifest(Descriptor child) throws IOException {
        Manifest done = converted.get(child.digest());
        return done != null ? done : convert(delegate().manifest(child));
    }

    private Manifest convert(Manifest manifest) throws IOException {
        if (!TYPES.containsKey(manifest.mediaType().value())) {
            return manifest;
        }
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(manifest.raw());
        root.put("mediaType", TYPES.get(manifest.mediaType().value()));
        if (root.get("config") instanceof ObjectNode config) {
            rename(config);
        }
        for (JsonNode layer : root.path("layers")) {
            if (layer instanceof ObjectNode node) {
                rename(node);
            }
        }
        for (JsonNode entry : root.path("manifests")) {
            if (entry instanceof ObjectNode node && node.path("digest").isString()) {
                Descriptor original = new Descriptor(node.path("mediaType").asString(null),
                        Digest.parse(node.get("digest").asString()), node.path("size").asLong());
                Manifest child = convert(delegate().manifest(original));
                node.put("mediaType", child.mediaType().value());
                node.put("digest", child.digest().toString());
                node.put("size", child.raw().length);
            }
        }
        byte[] raw = Json.MAPPER.writeValueAsBytes(root);
        Digest digest = Digest.sha256(raw);
        Manifest result = ManifestParser.parse("converted manifest " + digest, raw, root.get("mediaType").asString(),
                digest);
        converted.put(digest, result);
        return result;
    }

    private static void rename(ObjectNode descriptor) {
        String type = descriptor.path("mediaType").asString(null);
        if (type != null && TYPES.containsKey(type)) {
            descriptor.put("mediaType", TYPES.get(type));
        }
    }
}
