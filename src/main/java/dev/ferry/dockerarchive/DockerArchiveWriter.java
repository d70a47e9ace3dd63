package dev.ferry.dockerarchive;

import dev.ferry.json.Json;
import dev.ferry.layout.OciLayout;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.MediaType;
import dev.ferry.reference.ImageReference;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a docker-archive as Docker 25+ does, one tar that Docker and OCI tools both read: an OCI
 * layout ({@code oci-layout}, {@code blobs/}, {@code index.json}) plus Docker's {@code repositories}
 * and {@code manifest.json}, whose Config and Layers name the blobs. Layers stay as they were pulled
 * (Docker 20.10+ loads gzip and zstd layers). Blobs that images share are written once, and
 * manifest.json comes last, so a reader of a stream sees every file it names first.
 */
public final class DockerArchiveWriter {

    private DockerArchiveWriter() {
    }

    /** Writes the images, whose blobs are in {@code layout}, as one tar to {@code out}. */
    public static void write(OciLayout layout, List<SavedImage> images, OutputStream out) throws IOException {
        write(layout, images, out, null);
    }

    /**
     * As {@link #write(OciLayout, List, OutputStream)}; with {@code scratch} (a directory to inflate
     * in), every layer is written as a plain tar under its diff_id, in a manifest of its own.
     */
    public static void write(OciLayout layout, List<SavedImage> images, OutputStream out, Path scratch)
            throws IOException {
        if (scratch != null) {
            List<SavedImage> plain = new ArrayList<>();
            for (SavedImage image : images) {
                plain.add(UncompressedLayers.of(layout, image, scratch));
            }
            images = plain;
        }
        // Closing the tar writes its last block; what it writes into (a file, standard output) stays open.
        OutputStream unclosed = new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new BufferedOutputStream(unclosed, 1 << 20));
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        small(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        directory(tar, "blobs/");
        directory(tar, "blobs/sha256/");
        Set<String> written = new LinkedHashSet<>();
        List<Map<String, Object>> index = new ArrayList<>();
        List<Map<String, Object>> manifestJson = new ArrayList<>();
        Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
        for (SavedImage image : images) {
            List<String> layerNames = new ArrayList<>();
            for (Descriptor layer : image.manifest().layers()) {
                layerNames.add(blob(tar, layout, layer, written));
            }
            String config = blob(tar, layout, image.manifest().config(), written);
            Descriptor manifest = new Descriptor(image.manifest().mediaType().value(), image.manifest().digest(),
                    image.manifest().raw().length);
            if (written.add(path(manifest))) {
                small(tar, path(manifest), image.manifest().raw());
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Config", config);
            entry.put("RepoTags", image.repoTags().isEmpty() ? null : image.repoTags());
            entry.put("Layers", layerNames);
            manifestJson.add(entry);
            for (String repoTag : image.repoTags()) {
                ImageReference ref = ImageReference.parse(repoTag);
                index.add(indexEntry(manifest, repoTag, ref.tag()));
                String top = layerNames.isEmpty() ? config : layerNames.getLast();
                repositories.computeIfAbsent(repoTag.substring(0, repoTag.lastIndexOf(':')), k -> new LinkedHashMap<>())
                        .put(ref.tag(), top.substring(top.lastIndexOf('/') + 1));
            }
            if (image.repoTags().isEmpty()) {
                index.add(indexEntry(manifest, null, null));
            }
        }
        Map<String, Object> indexJson = new LinkedHashMap<>();
        indexJson.put("schemaVersion", 2);
        indexJson.put("mediaType", MediaType.OCI_INDEX.value());
        indexJson.put("manifests", index);
        small(tar, "index.json", Json.MAPPER.writeValueAsBytes(indexJson));
        if (!repositories.isEmpty()) {
            small(tar, "repositories", Json.MAPPER.writeValueAsBytes(repositories));
        }
        small(tar, "manifest.json", Json.MAPPER.writeValueAsBytes(manifestJson));
        tar.close();
    }

    private static Map<String, Object> indexEntry(Descriptor manifest, String imageName, String tag) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("mediaType", manifest.mediaType());
        entry.put("digest", manifest.digest().toString());
        entry.put("size", manifest.size());
        if (imageName != null) {
            entry.put("annotations", Map.of("io.containerd.image.name", imageName,
                    "org.opencontainers.image.ref.name", tag));
        }
        return entry;
    }

    private static String path(Descriptor blob) {
        return "blobs/" + blob.digest().algorithm() + "/" + blob.digest().hex();
    }

    /** A blob of the layout, once however many images share it; its name in the archive. */
    private static String blob(TarArchiveOutputStream tar, OciLayout layout, Descriptor blob, Set<String> written)
            throws IOException {
        String name = path(blob);
        if (written.add(name)) {
            TarArchiveEntry entry = entry(name, 0644);
            entry.setSize(blob.size());
            tar.putArchiveEntry(entry);
            try (InputStream in = layout.openBlob(blob)) {
                long copied = in.transferTo(tar);
                if (copied != blob.size()) {
                    throw new IOException("blob " + blob.digest() + " changed size while it was written");
                }
            }
            tar.closeArchiveEntry();
        }
        return name;
    }

    private static void small(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry entry = entry(name, 0644);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        tar.putArchiveEntry(entry(name, 0755));
        tar.closeArchiveEntry();
    }

    /** Owner root and a fixed time: the same images always make the same archive. */
    private static TarArchiveEntry entry(String name, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(mode);
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setModTime(0);
        return entry;
    }
}
