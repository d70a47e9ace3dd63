package dev.ferry.manifest;

import static dev.ferry.json.JsonFields.bool;
import static dev.ferry.json.JsonFields.digest;
import static dev.ferry.json.JsonFields.field;
import static dev.ferry.json.JsonFields.list;
import static dev.ferry.json.JsonFields.longValue;
import static dev.ferry.json.JsonFields.object;
import static dev.ferry.json.JsonFields.string;
import static dev.ferry.json.JsonFields.stringMap;
import static dev.ferry.json.JsonFields.strings;

import dev.ferry.json.JsonFields;
import tools.jackson.databind.JsonNode;

/**
 * Descriptors, platforms and image configs read from JSON trees by hand, field by field as their
 * records' Jackson annotations name them, so that reading a manifest needs no object mapper
 * (see {@link dev.ferry.json.JsonTrees} for why).
 */
final class ManifestTrees {

    private ManifestTrees() {
    }

    static Descriptor descriptor(JsonNode node, String what) {
        JsonNode d = object(node, what);
        if (d == null) {
            return null;
        }
        return new Descriptor(string(d, "mediaType", what), digest(d, "digest", what), longValue(d, "size", what),
                strings(d, "urls", what), stringMap(d, "annotations", what),
                platform(field(d, "platform"), what + ".platform"), string(d, "artifactType", what));
    }

    static Platform platform(JsonNode node, String what) {
        JsonNode p = object(node, what);
        if (p == null) {
            return null;
        }
        return new Platform(string(p, "architecture", what), string(p, "os", what), string(p, "variant", what),
                string(p, "os.version", what), strings(p, "os.features", what));
    }

    static ImageConfig imageConfig(JsonNode node) {
        String what = "config";
        JsonNode c = object(node, what);
        if (c == null) {
            return null;
        }
        JsonNode container = object(field(c, "config"), "config.config");
        JsonNode rootfs = object(field(c, "rootfs"), "config.rootfs");
        return new ImageConfig(string(c, "architecture", what), string(c, "os", what), string(c, "variant", what),
                string(c, "created", what), string(c, "author", what), string(c, "docker_version", what),
                container == null ? null : new ImageConfig.Container(strings(container, "Env", "config.config"),
                        stringMap(container, "Labels", "config.config")),
                rootfs == null ? null : new ImageConfig.RootFs(string(rootfs, "type", "config.rootfs"),
                        list(rootfs, "diff_ids", "config.rootfs", n -> dev.ferry.digest.Digest.parse(
                                JsonFields.string(n, "config.rootfs.diff_ids")))),
                list(c, "history", what, ManifestTrees::history));
    }

    private static ImageConfig.History history(JsonNode node) {
        String what = "config.history";
        JsonNode h = object(node, what);
        return new ImageConfig.History(string(h, "created", what), string(h, "created_by", what),
                string(h, "author", what), string(h, "comment", what), bool(h, "empty_layer", what));
    }
}
