package dev.ferry.inspect;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.ferry.digest.Digest;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code ferry inspect} prints. The first fields carry skopeo's names and values, so that
 * scripts written for {@code skopeo inspect} keep working; the rest is what skopeo does not tell:
 * the image ID, each layer's diff_id, the history mapped onto the layers and, for a multi-platform
 * tag, every platform with its manifest and image ID.
 */
@JsonPropertyOrder({"Name", "Digest", "RepoTags", "Created", "DockerVersion", "Labels", "Architecture", "Variant",
    "Os", "Layers", "LayersData", "Env", "ImageID", "MediaType", "History", "Platforms"})
public record Inspection(
        @JsonProperty("Name") @JsonInclude(JsonInclude.Include.NON_NULL) String name,
        @JsonProperty("Digest") Digest digest,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("Created") String created,
        @JsonProperty("DockerVersion") String dockerVersion,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("Architecture") String architecture,
        @JsonProperty("Variant") @JsonInclude(JsonInclude.Include.NON_EMPTY) String variant,
        @JsonProperty("Os") String os,
        @JsonProperty("Layers") List<Digest> layers,
        @JsonProperty("LayersData") List<LayerData> layersData,
        @JsonProperty("Env") List<String> env,
        @JsonProperty("ImageID") Digest imageId,
        @JsonProperty("MediaType") String mediaType,
        @JsonProperty("History") List<HistoryEntry> history,
        @JsonProperty("Platforms") @JsonInclude(JsonInclude.Include.NON_NULL) List<PlatformEntry> platforms) {

    /**
     * The fields as a Go template sees skopeo's: the printed JSON's, with each {@code Created} a Go
     * {@code time.Time} (printed as {@code 2024-05-01 12:30:00 +0000 UTC}, not as in JSON), and no
     * labels or environment as an empty map and list.
     */
    public JsonNode templateData() {
        ObjectNode data = tree();
        goTime(data);
        // skopeo's nil map and slice print as map[] and [] in a template, not as JSON's null.
        if (data.get("Labels") == null || data.get("Labels").isNull()) {
            data.putObject("Labels");
        }
        if (data.get("Env") == null || data.get("Env").isNull()) {
            data.putArray("Env");
        }
        if (data.get("History") instanceof tools.jackson.databind.node.ArrayNode entries) {
            entries.forEach(entry -> goTime((ObjectNode) entry));
        }
        return data;
    }

    /**
     * The printed JSON as a tree, built field by field as the annotations above lay it out (what
     * the object mapper would make of this record), without the mapper's start-up cost.
     */
    public ObjectNode tree() {
        ObjectNode o = NODES.objectNode();
        if (name != null) {
            o.put("Name", name);
        }
        o.put("Digest", text(digest));
        o.set("RepoTags", strings(repoTags));
        o.put("Created", created);
        o.put("DockerVersion", dockerVersion);
        o.set("Labels", map(labels));
        o.put("Architecture", architecture);
        if (variant != null && !variant.isEmpty()) {
            o.put("Variant", variant);
        }
        o.put("Os", os);
        o.set("Layers", layers == null ? NODES.nullNode() : strings(layers.stream().map(Inspection::text).toList()));
        ArrayNode data = layersData == null ? null : NODES.arrayNode();
        for (LayerData layer : layersData == null ? List.<LayerData>of() : layersData) {
            ObjectNode l = data.addObject().put("MIMEType", layer.mimeType()).put("Digest", text(layer.digest()))
                    .put("Size", layer.size());
            l.set("Annotations", map(layer.annotations()));
            if (layer.diffId() != null) {
                l.put("DiffID", layer.diffId().toString());
            }
        }
        o.set("LayersData", data == null ? NODES.nullNode() : data);
        o.set("Env", strings(env));
        o.put("ImageID", text(imageId));
        o.put("MediaType", mediaType);
        ArrayNode entries = history == null ? null : NODES.arrayNode();
        for (HistoryEntry h : history == null ? List.<HistoryEntry>of() : history) {
            ObjectNode e = entries.addObject();
            putIfSet(e, "Created", h.created());
            putIfSet(e, "CreatedBy", h.createdBy());
            putIfSet(e, "Author", h.author());
            putIfSet(e, "Comment", h.comment());
            e.put("EmptyLayer", h.emptyLayer());
            if (h.layerIndex() != null) {
                e.put("LayerIndex", h.layerIndex().intValue());
            }
            putIfSet(e, "Layer", text(h.layer()));
        }
        o.set("History", entries == null ? NODES.nullNode() : entries);
        if (platforms != null) {
            ArrayNode list = o.putArray("Platforms");
            for (PlatformEntry p : platforms) {
                ObjectNode e = list.addObject().put("Os", p.os()).put("Architecture", p.architecture());
                if (p.variant() != null && !p.variant().isEmpty()) {
                    e.put("Variant", p.variant());
                }
                e.put("Digest", text(p.digest())).put("MediaType", p.mediaType());
                putIfSet(e, "ImageID", text(p.imageId()));
            }
        }
        return o;
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static String text(Digest digest) {
        return digest == null ? null : digest.toString();
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static JsonNode strings(List<String> values) {
        if (values == null) {
            return NODES.nullNode();
        }
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static JsonNode map(Map<String, String> values) {
        if (values == null) {
            return NODES.nullNode();
        }
        ObjectNode object = NODES.objectNode();
        values.forEach(object::put);
        return object;
    }

    private static void goTime(ObjectNode node) {
        if (node.get("Created") != null && node.get("Created").isString()) {
            node.put("Created", GoTime.goString(node.get("Created").stringValue()));
        }
    }

    /** One layer: skopeo's four fields, and its diff_id (the digest of the uncompressed tar). */
    @JsonPropertyOrder({"MIMEType", "Digest", "Size", "Annotations", "DiffID"})
    public record LayerData(
            @JsonProperty("MIMEType") String mimeType,
            @JsonProperty("Digest") Digest digest,
            @JsonProperty("Size") long size,
            @JsonProperty("Annotations") Map<String, String> annotations,
            @JsonProperty("DiffID") @JsonInclude(JsonInclude.Include.NON_NULL) Digest diffId) {
    }

    /**
     * One entry of the config's history. Entries that made a layer name it ({@code Layer}, its
     * position in {@code Layers}); the others are marked {@code EmptyLayer}.
     */
    @JsonPropertyOrder({"Created", "CreatedBy", "Author", "Comment", "EmptyLayer", "LayerIndex", "Layer"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HistoryEntry(
            @JsonProperty("Created") String created,
            @JsonProperty("CreatedBy") String createdBy,
            @JsonProperty("Author") String author,
            @JsonProperty("Comment") String comment,
            @JsonProperty("EmptyLayer") boolean emptyLayer,
            @JsonProperty("LayerIndex") Integer layerIndex,
            @JsonProperty("Layer") Digest layer) {
    }

    /** One platform of a multi-platform tag. */
    @JsonPropertyOrder({"Os", "Architecture", "Variant", "Digest", "MediaType", "ImageID"})
    public record PlatformEntry(
            @JsonProperty("Os") String os,
            @JsonProperty("Architecture") String architecture,
            @JsonProperty("Variant") @JsonInclude(JsonInclude.Include.NON_EMPTY) String variant,
            @JsonProperty("Digest") Digest digest,
            @JsonProperty("MediaType") String mediaType,
            @JsonProperty("ImageID") @JsonInclude(JsonInclude.Include.NON_NULL) Digest imageId) {
    }
}
