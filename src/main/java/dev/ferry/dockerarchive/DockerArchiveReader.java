package dev.ferry.dockerarchive;

import dev.ferry.compress.Compression;
import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
import dev.ferry.json.Json;
import dev.ferry.layout.LayoutException;
import dev.ferry.layout.OciLayout;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.ImageConfig;
import dev.ferry.manifest.ManifestException;
import dev.ferry.manifest.ManifestParser;
import dev.ferry.manifest.MediaType;
import dev.ferry.reference.ImageReference;
import dev.ferry.reference.ReferenceFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a docker-archive in every shape in use (Docker up to 24 with a directory per layer, Docker
 * 25+ and skopeo with blobs by digest, crane's, gzip-compressed or not) into an OCI layout in a work
 * directory, one manifest per entry of {@code manifest.json}: the config as it is (its digest is the
 * image ID), the layers as they are, each through the layout's verifying door, which checks its
 * diff_id over the whole decompressed stream, so bytes after a layer's end-of-archive marker fail.
 */
public final class DockerArchiveReader {

    /** manifest.json and the other small files: Docker's own for thousands of images take a few MiB. */
    static final long MAX_METADATA_BYTES = 8L << 20;
    static final int MAX_CONFIG_BYTES = 64 << 20;
    static final int MAX_IMAGES = 1000;

    private static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
    private static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";

    private DockerArchiveReader() {
    }

    /** How much of an entry is read: the metadata files are bounded, configs when they are read. */
    static long limitFor(String name) {
        return switch (name) {
            case "manifest.json", "repositories", "index.json", "oci-layout" -> MAX_METADATA_BYTES;
            default -> Long.MAX_VALUE;
        };
    }

    /**
     * Reads the archive from {@code in} into a layout in {@code workDir} (an empty directory).
     *
     * @param archive the archive as messages name it
     * @param warnings where a config whose name is not its digest is reported
     * @return the images in the order of manifest.json
     */
    public static List<ArchiveImage> toLayout(InputStream in, String archive, Path workDir, PrintStream warnings)
            throws IOException {
        Path stored = Files.createDirectory(workDir.resolve("entries"));
        ArchiveEntries entries = ArchiveEntries.read(in, archive, stored);
        if (!entries.has("manifest.json")) {
            throw entries.invalid("it has no manifest.json" + (entries.has("index.json")
                    ? " (an OCI layout archive is read as oci-archive:FILE)" : ""));
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(entries.file("manifest.json", "the archive").file()));
        } catch (JacksonException e) {
            throw entries.invalid("its manifest.json is not valid JSON");
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw entries.invalid("its manifest.json is not a list of images");
        }
        if (root.size() > MAX_IMAGES) {
            throw entries.invalid("its manifest.json lists more than " + MAX_IMAGES + " images");
        }
        OciLayout layout = OciLayout.open(Files.createDirectory(workDir.resolve("layout")));
        List<ArchiveImage> images = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            images.add(image(entries, layout, root.get(i), "manifest.json entry " + i, archive, warnings));
        }
        return images;
    }

    private static ArchiveImage image(ArchiveEntries entries, OciLayout layout, JsonNode node, String subject,
            String archive, PrintStream warnings) throws IOException {
        if (!node.isObject() || !node.path("Config").isString() || !node.path("Layers").isArray()) {
            throw entries.invalid(subject + " lacks Config or Layers");
        }
        List<String> repoTags = new ArrayList<>();
        for (JsonNode tag : node.path("RepoTags")) {
            repoTags.add(repoTag(entries, subject, tag));
        }
        // step: the config, whose digest is the image ID; its name should be that digest
        String configName = node.get("Config").asString();
        ArchiveEntries.Stored config = entries.file(configName, subject);
        if (config.size() > MAX_CONFIG_BYTES) {
            throw entries.invalid(subject + ": its config is " + config.size() + " bytes, more than the "
                    + MAX_CONFIG_BYTES + " ferry reads");
        }
        // Docker 24 names it HEX.json, Docker 25 and skopeo blobs/sha256/HEX, crane sha256:HEX
        String base = configName.substring(configName.lastIndexOf('/') + 1).replaceFirst("\\.json$", "")
                .replaceFirst("^sha256:", "");
        if (!base.equals(config.digest().hex())) {
            warnings.println("warning: " + archive + ": the config '" + ArchiveEntries.shown(configName)
                    + "' is not named by its digest " + config.digest());
        }
        byte[] configBytes = Files.readAllBytes(config.file());
        List<Digest> diffIds;
        try {
            diffIds = ImageConfig.parse("config " + config.digest() + " in " + archive, configBytes).diffIds();
        } catch (ManifestException e) {
            throw entries.invalid(subject + ": its config is not a valid image config");
        }
        JsonNode layers = node.get("Layers");
        if (layers.size() != diffIds.size()) {
            throw entries.invalid(subject + " lists " + layers.size() + " layers but its config has "
                    + diffIds.size() + " diff_ids");
        }
        if (layers.size() > ManifestParser.MAX_LAYERS) {
            throw entries.invalid(subject + " lists more than " + ManifestParser.MAX_LAYERS + " layers");
        }
        // step: each layer through the layout's door: size, digest and diff_id checked in one pass
        List<Descriptor> layerDescriptors = new ArrayList<>();
        List<Compression> compressions = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (!layers.get(i).isString()) {
                throw entries.invalid(subject + ": layer " + i + " is not a file name");
            }
            ArchiveEntries.Stored layer = entries.file(layers.get(i).asString(), subject);
            compressions.add(layer.compression());
            Descriptor descriptor = new Descriptor(DOCKER_LAYER, layer.digest(), layer.size());
            store(layout, layer, descriptor, diffIds.get(i), archive);
            layerDescriptors.add(descriptor);
        }
        boolean oci = compressions.contains(Compression.ZSTD);
        List<Descriptor> typed = new ArrayList<>();
        for (int i = 0; i < layerDescriptors.size(); i++) {
            Descriptor d = layerDescriptors.get(i);
            typed.add(new Descriptor(layerType(oci, compressions.get(i)), d.digest(), d.size()));
        }
        Descriptor configDescriptor = new Descriptor(oci ? MediaType.OCI_CONFIG : MediaType.DOCKER_CONFIG,
                config.digest(), config.size());
        layout.putBlob(configDescriptor, configBytes);
        // step: the manifest ferry makes of it, named in index.json by each RepoTag
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", (oci ? MediaType.OCI_MANIFEST : MediaType.DOCKER_MANIFEST).value());
        manifest.put("config", configDescriptor);
        manifest.put("layers", typed);
        byte[] raw = Json.MAPPER.writeValueAsBytes(manifest);
        Descriptor manifestDescriptor = new Descriptor((oci ? MediaType.OCI_MANIFEST : MediaType.DOCKER_MANIFEST).value(),
                Digest.sha256(raw), raw.length);
        layout.putBlob(manifestDescriptor, raw);
        if (repoTags.isEmpty()) {
            layout.tag(manifestDescriptor, null, null);
        }
        for (String tag : repoTags) {
            layout.tag(manifestDescriptor, tag, tag);
        }
        return new ArchiveImage(manifestDescriptor, repoTags);
    }

    private static String repoTag(ArchiveEntries entries, String subject, JsonNode tag) throws LayoutException {
        if (!tag.isString()) {
            throw entries.invalid(subject + " has a RepoTag that is not a string");
        }
        String text = tag.asString();
        try {
            ImageReference ref = ImageReference.parse(text);
            if (ref.tag() == null || ref.digest() != null || text.contains("@")) {
                throw new ReferenceFormatException(text, "no tag");
            }
        } catch (ReferenceFormatException e) {
            throw entries.invalid(subject + " has the RepoTag '" + ArchiveEntries.shown(text)
                    + "', which is not NAME:TAG");
        }
        return text;
    }

    /** The entry's file becomes the blob (moved, not copied) once size, digest and diff_id verified. */
    private static void store(OciLayout layout, ArchiveEntries.Stored layer, Descriptor descriptor, Digest diffId,
            String archive) throws IOException {
        if (layout.hasBlob(descriptor)) {
            return;
        }
        try {
            layout.adopt(layer.file(), descriptor, diffId);
        } catch (VerificationException e) {
            String why = e.getMessage().startsWith(e.subject() + ": ")
                    ? e.getMessage().substring(e.subject().length() + 2) : e.getMessage();
            throw new VerificationException("layer '" + ArchiveEntries.shown(layer.name()) + "' of " + archive, why);
        }
    }

    private static String layerType(boolean oci, Compression compression) {
        return switch (compression) {
            case GZIP -> oci ? OCI_LAYER + "+gzip" : DOCKER_LAYER + ".gzip";
            case ZSTD -> OCI_LAYER + "+zstd";
            case NONE -> oci ? OCI_LAYER : DOCKER_LAYER;
        };
    }
}
