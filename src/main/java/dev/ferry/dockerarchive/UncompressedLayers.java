package dev.ferry.dockerarchive;

import dev.ferry.compress.Compression;
import dev.ferry.digest.Digest;
import dev.ferry.json.Json;
import dev.ferry.layout.BlobReceiver;
import dev.ferry.layout.OciLayout;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.ImageConfig;
import dev.ferry.manifest.ImageManifest;
import dev.ferry.manifest.ManifestParser;
import dev.ferry.manifest.MediaType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code --uncompressed-layers}: an image's layers as plain tars, as Docker up to 24 saved them, for
 * consumers that read no compressed layer. Each is inflated into a scratch file and enters the
 * layout through its verifying door under its diff_id; the manifest over them is a new one (its
 * digest changes; the config, and so the image ID, stays).
 */
final class UncompressedLayers {

    private UncompressedLayers() {
    }

    static SavedImage of(OciLayout layout, SavedImage image, Path scratch) throws IOException {
        ImageManifest manifest = image.manifest();
        byte[] configBytes;
        try (InputStream in = layout.openBlob(manifest.config())) {
            configBytes = in.readNBytes(DockerArchiveReader.MAX_CONFIG_BYTES);
        }
        List<Digest> diffIds = ImageConfig.parse("config " + manifest.config().digest(), configBytes).diffIds();
        if (diffIds.size() != manifest.layers().size()) {
            throw new IOException("manifest " + manifest.digest() + " lists " + manifest.layers().size()
                    + " layers but its config has " + diffIds.size() + " diff_ids");
        }
        boolean docker = manifest.mediaType() == MediaType.DOCKER_MANIFEST;
        String tarType = docker ? "application/vnd.docker.image.rootfs.diff.tar" : "application/vnd.oci.image.layer.v1.tar";
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(manifest.raw());
        JsonNode layers = root.path("layers");
        for (int i = 0; i < manifest.layers().size(); i++) {
            Descriptor plain = inflate(layout, manifest.layers().get(i), diffIds.get(i), tarType, scratch);
            ObjectNode node = (ObjectNode) layers.get(i);
            node.put("mediaType", plain.mediaType());
            node.put("digest", plain.digest().toString());
            node.put("size", plain.size());
        }
        byte[] raw = Json.MAPPER.writeValueAsBytes(root);
        Digest digest = Digest.sha256(raw);
        ImageManifest converted = (ImageManifest) ManifestParser.parse("manifest " + digest, raw,
                manifest.mediaType().value(), digest);
        layout.putBlob(converted.descriptor(), raw);
        return new SavedImage(converted, image.repoTags());
    }

    private static Descriptor inflate(OciLayout layout, Descriptor layer, Digest diffId, String tarType, Path scratch)
            throws IOException {
        Path file = scratch.resolve("layer-" + layer.digest().hex());
        long size;
        try (InputStream stored = new BufferedInputStream(layout.openBlob(layer), 1 << 16);
                OutputStream out = Files.newOutputStream(file)) {
            stored.mark(4);
            byte[] head = stored.readNBytes(4);
            stored.reset();
            try (InputStream tar = Compression.detect(head, head.length).open(stored)) {
                size = tar.transferTo(out);
            }
        }
        Descriptor plain = new Descriptor(tarType, diffId, size);
        if (!layout.hasBlob(plain)) {
            try (BlobReceiver receiver = layout.receive(plain, diffId)) {
                switch (receiver.accept(0, Files.newInputStream(file), n -> { }, () -> false)) {
                    case BlobReceiver.Stored stored -> { }
                    case BlobReceiver.Cut cut -> throw cut.failure();
                    case BlobReceiver.PrefixRejected rejected -> throw rejected.failure();
                }
            }
        }
        Files.delete(file);
        return plain;
    }
}
