package dev.ferry.aot;

import com.github.luben.zstd.ZstdOutputStream;
import dev.ferry.digest.Digest;
import dev.ferry.manifest.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** A generated image with gzip, zstd and plain layers for the AOT training run to pull. */
final class TrainingImage {

    private TrainingImage() {
    }

    static void addTo(Map<String, byte[]> routes) throws IOException {
        StringBuilder layers = new StringBuilder();
        StringBuilder diffIds = new StringBuilder();
        String[] types = {"gzip", "zstd", "none"};
        for (int i = 0; i < types.length; i++) {
            byte[] tar = tar(i);
            byte[] blob = switch (types[i]) {
                case "gzip" -> gzip(tar);
                case "zstd" -> zstd(tar);
                default -> tar;
            };
            Digest digest = Digest.sha256(blob);
            routes.put("/v2/pulltrain/blobs/" + digest, blob);
            layers.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar")
                    .append(types[i].equals("none") ? "" : "+" + types[i]).append("\",\"digest\":\"").append(digest)
                    .append("\",\"size\":").append(blob.length).append('}');
            diffIds.append(i == 0 ? "" : ",").append('"').append(Digest.sha256(tar)).append('"');
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + diffIds + "]}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Digest.sha256(config);
        routes.put("/v2/pulltrain/blobs/" + configDigest, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST.value() + "\","
                + "\"config\":{\"mediaType\":\"" + MediaType.OCI_CONFIG + "\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[" + layers + "]}").getBytes(StandardCharsets.UTF_8);
        routes.put("/v2/pulltrain/manifests/1", manifest);
        routes.put("/v2/pulltrain/manifests/" + Digest.sha256(manifest), manifest); // sync copies by digest
    }

    /** Half text, half random bytes: both inflate paths (literal runs, matches) get exercised. */
    private static byte[] tar(int seed) throws IOException {
        Random random = new Random(seed);
        byte[] noise = new byte[3 * 1024 * 1024];
        random.nextBytes(noise);
        byte[] text = "the quick brown fox jumps over the lazy dog\n".repeat(70_000).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (byte[] content : new byte[][] {noise, text}) {
                TarArchiveEntry entry = new TarArchiveEntry("file" + content.length);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] zstd(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream zs = new ZstdOutputStream(out)) {
            zs.write(data);
        }
        return out.toByteArray();
    }

}
