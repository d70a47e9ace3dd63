package dev.ferry.unpack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Writes an OCI image layout by hand (oci-layout, index.json, blobs) holding one image of plain tar layers. */
final class OciImageFixture {

    private OciImageFixture() {
    }

    static void write(Path dir, String tag, List<byte[]> layers) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        List<String> descriptors = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (byte[] layer : layers) {
            String digest = blob(dir, layer);
            diffIds.add("\"" + digest + "\"");
            descriptors.add(descriptor("application/vnd.oci.image.layer.v1.tar", digest, layer.length, ""));
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[" + String.join(",", diffIds) + "]}}").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", blob(dir, config), config.length, "")
                + ",\"layers\":[" + String.join(",", descriptors) + "]}").getBytes(StandardCharsets.UTF_8);
        String annotations = ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}";
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":["
                + descriptor("application/vnd.oci.image.manifest.v1+json", blob(dir, manifest), manifest.length, annotations) + "]}");
    }

    private static String descriptor(String mediaType, String digest, long size, String extra) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + extra + "}";
    }

    private static String blob(Path dir, byte[] content) throws IOException {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            Files.write(dir.resolve("blobs/sha256").resolve(hex), content);
            return "sha256:" + hex;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
