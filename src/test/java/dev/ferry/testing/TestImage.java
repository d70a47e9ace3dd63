package dev.ferry.testing;

import dev.ferry.digest.Digest;
import dev.ferry.json.Json;
import dev.ferry.manifest.LayerMediaTypes;
import dev.ferry.manifest.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An image built in memory: a config, its layers and the manifest over them, with the exact bytes a
 * registry would store. Built through {@link #builder()}.
 */
public record TestImage(Blob manifest, Blob config, List<Blob> layers, List<Digest> diffIds) {

    public Digest digest() {
        return manifest.digest();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * This image with other layers under the same config: a manifest a registry could serve, whose
     * layers need not decompress to the config's diff_ids. {@link #diffIds()} stays the config's.
     */
    public TestImage withLayers(List<Blob> otherLayers) {
        return new TestImage(manifestOver(config, otherLayers), config, List.copyOf(otherLayers), diffIds);
    }

    /** This image's layers under another config, which may promise other diff_ids or another number of them. */
    public TestImage withConfig(TestImage configOf) {
        return new TestImage(manifestOver(configOf.config(), layers), configOf.config(), layers, configOf.diffIds());
    }

    private Blob manifestOver(Blob newConfig, List<Blob> newLayers) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", manifest.mediaType());
        root.set("config", Builder.descriptor(newConfig));
        ArrayNode layerArray = root.putArray("layers");
        newLayers.forEach(l -> layerArray.add(Builder.descriptor(l)));
        return new Blob(manifest.mediaType(), Json.MAPPER.writeValueAsBytes(root));
    }

    /** Builds an index over the given images, each entry with its platform {@code os/arch[/variant]}. */
    public static Blob index(MediaType type, Map<String, TestImage> byPlatform) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", type.value());
        ArrayNode manifests = root.putArray("manifests");
        for (Map.Entry<String, TestImage> e : byPlatform.entrySet()) {
            String[] parts = e.getKey().split("/");
            ObjectNode entry = manifests.addObject();
            entry.put("mediaType", e.getValue().manifest().mediaType());
            entry.put("digest", e.getValue().digest().toString());
            entry.put("size", e.getValue().manifest().bytes().length);
            ObjectNode platform = entry.putObject("platform");
            platform.put("architecture", parts[1]);
            platform.put("os", parts[0]);
            if (parts.length > 2) {
                platform.put("variant", parts[2]);
            }
        }
        return new Blob(type.value(), Json.MAPPER.writeValueAsBytes(root));
    }

    public static final class Builder {
        private MediaType type = MediaType.OCI_MANIFEST;
        private String os = "linux";
        private String architecture = "amd64";
        private String variant;
        private String compression = "gzip";
        private boolean writeMediaType = true;
        private final List<byte[]> tars = new ArrayList<>();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private List<String> env = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        private String created = "2024-05-01T12:30:00.123456789Z";

        public Builder docker() {
            this.type = MediaType.DOCKER_MANIFEST;
            return this;
        }

        public Builder platform(String os, String architecture, String variant) {
            this.os = os;
            this.architecture = architecture;
            this.variant = variant;
            return this;
        }

        /** "gzip", "zstd" or "none". */
        public Builder compression(String compression) {
            this.compression = compression;
            return this;
        }

        /** Leaves {@code mediaType} out of the manifest JSON, as umoci does. */
        public Builder withoutMediaTypeField() {
            this.writeMediaType = false;
            return this;
        }

        public Builder layer(Map<String, String> files) {
            tars.add(Layers.tar(files));
            return this;
        }

        public Builder layerTar(byte[] tar) {
            tars.add(tar);
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder env(List<String> env) {
            this.env = env;
            return this;
        }

        public Builder created(String created) {
            this.created = created;
            return this;
        }

        public TestImage build() {
            if (tars.isEmpty()) {
                layer(Map.of("etc/hello", "hello from " + os + "/" + architecture + "\n"));
            }
            boolean docker = type == MediaType.DOCKER_MANIFEST;
            List<Blob> layers = new ArrayList<>();
            List<Digest> diffIds = new ArrayList<>();
            for (byte[] tar : tars) {
                diffIds.add(Digest.sha256(tar));
                layers.add(switch (compression) {
                    case "gzip" -> new Blob(docker ? LayerMediaTypes.DOCKER_GZIP : LayerMediaTypes.OCI_GZIP, Layers.gzip(tar));
                    case "zstd" -> new Blob(LayerMediaTypes.OCI_ZSTD, Layers.zstd(tar));
                    case "none" -> new Blob(docker ? "application/vnd.docker.image.rootfs.diff.tar" : LayerMediaTypes.OCI_TAR, tar);
                    default -> throw new IllegalArgumentException(compression);
                });
            }
            Blob config = new Blob(docker ? MediaType.DOCKER_CONFIG : MediaType.OCI_CONFIG, configJson(diffIds));
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("schemaVersion", 2);
            if (writeMediaType) {
                root.put("mediaType", type.value());
            }
            root.set("config", descriptor(config));
            ArrayNode layerArray = root.putArray("layers");
            layers.forEach(l -> layerArray.add(descriptor(l)));
            Blob manifest = new Blob(type.value(), Json.MAPPER.writeValueAsBytes(root));
            return new TestImage(manifest, config, layers, diffIds);
        }

        private byte[] configJson(List<Digest> diffIds) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("architecture", architecture);
            root.put("os", os);
            if (variant != null) {
                root.put("variant", variant);
            }
            root.put("created", created);
            ObjectNode config = root.putObject("config");
            ArrayNode envArray = config.putArray("Env");
            env.forEach(envArray::add);
            if (!labels.isEmpty()) {
                ObjectNode l = config.putObject("Labels");
                labels.forEach(l::put);
            }
            ObjectNode rootfs = root.putObject("rootfs");
            rootfs.put("type", "layers");
            ArrayNode ids = rootfs.putArray("diff_ids");
            diffIds.forEach(d -> ids.add(d.toString()));
            ArrayNode history = root.putArray("history");
            for (int i = 0; i < diffIds.size(); i++) {
                history.addObject().put("created", created).put("created_by", "/bin/sh -c #(nop) ADD layer " + i);
            }
            history.addObject().put("created", created).put("created_by", "/bin/sh -c #(nop) CMD [\"sh\"]")
                    .put("empty_layer", true);
            return Json.MAPPER.writeValueAsBytes(root);
        }

        private static ObjectNode descriptor(Blob blob) {
            ObjectNode d = Json.MAPPER.createObjectNode();
            d.put("mediaType", blob.mediaType());
            d.put("digest", blob.digest().toString());
            d.put("size", blob.bytes().length);
            return d;
        }
    }
}
