package dev.ferry.unpack;

import dev.ferry.testing.CraftedDockerArchive;
import dev.ferry.testing.DockerDaemon;
import dev.ferry.testing.External;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Layers as Docker's engine applies them: a docker-archive written here (plain tar layers, a
 * config naming their diff_ids), {@code docker load}ed into a {@link DockerDaemon} with the vfs
 * driver, whose top layer is then a plain directory: {@code image/vfs/layerdb/sha256/CHAIN/cache-id}
 * names {@code vfs/dir/CACHE-ID}, the chain ID being the image-spec's over the diff_ids.
 */
final class DockerAppliedLayers {

    /** What {@code docker load} made of an archive: the applied tree, or its refusal. */
    record Loaded(Path tree, String refusal) {
    }

    private DockerAppliedLayers() {
    }

    /** A docker-archive of these layers, tagged {@code tag}, written to {@code file}. */
    static Path archive(Path file, String tag, List<byte[]> layers) throws IOException {
        CraftedDockerArchive archive = new CraftedDockerArchive();
        List<String> diffIds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (byte[] layer : layers) {
            String diffId = sha256(layer);
            diffIds.add("\"sha256:" + diffId + "\"");
            names.add(diffId + "/layer.tar");
            archive.file(diffId + "/layer.tar", layer);
        }
        // The tag in the config keeps images with the same layers apart (their IDs differ).
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"t\":\"" + tag
                + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + String.join(",", diffIds) + "]}}")
                .getBytes(StandardCharsets.UTF_8);
        String configName = sha256(config) + ".json";
        archive.file(configName, config);
        archive.file("manifest.json", CraftedDockerArchive.manifestJson(configName, names, tag));
        return archive.write(file);
    }

    /** Loads the archive of {@code layers} and finds Docker's tree of its top layer. */
    static Loaded load(DockerDaemon docker, Path archive, List<byte[]> layers) throws IOException, InterruptedException {
        External.Output load = External.run(docker.command("load", "-i", archive.toString()));
        if (load.exitCode() != 0) {
            return new Loaded(null, load.toString());
        }
        String cacheId = Files.readString(docker.dataRoot().resolve("image/vfs/layerdb/sha256")
                .resolve(chainId(layers)).resolve("cache-id")).strip();
        if (!cacheId.matches("[0-9a-f]{64}")) {
            throw new IllegalStateException("not a cache ID: " + cacheId);
        }
        return new Loaded(docker.dataRoot().resolve("vfs/dir").resolve(cacheId), null);
    }

    /** ChainID(L0) = DiffID(L0); ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(Ln)), hex only. */
    static String chainId(List<byte[]> layers) {
        String chain = null;
        for (byte[] layer : layers) {
            String diffId = "sha256:" + sha256(layer);
            chain = chain == null ? diffId : "sha256:" + sha256((chain + " " + diffId).getBytes(StandardCharsets.UTF_8));
        }
        return Objects.requireNonNull(chain, "no layers").substring("sha256:".length());
    }

    /** Every directory's modification time (nanoseconds), by path; the root's is "". */
    static Map<String, Long> directoryTimes(Path root) throws IOException {
        Map<String, Long> times = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isDirectory()) {
                    long nanos = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
                    times.put(root.relativize(p).toString(), nanos);
                }
            }
        }
        return times;
    }

    /** "path: docker X, ferry Y" for every path where the two maps differ, in path order. */
    static <T> List<String> differences(Map<String, T> docker, Map<String, T> ferry) {
        TreeSet<String> paths = new TreeSet<>(docker.keySet());
        paths.addAll(ferry.keySet());
        List<String> found = new ArrayList<>();
        for (String path : paths) {
            if (!Objects.equals(docker.get(path), ferry.get(path))) {
                found.add(path + "\n  docker: " + docker.get(path) + "\n  ferry:  " + ferry.get(path));
            }
        }
        return found;
    }

    /** The paths of {@link #differences}. */
    static <T> List<String> differingPaths(Map<String, T> docker, Map<String, T> ferry) {
        return differences(docker, ferry).stream().map(d -> d.substring(0, d.indexOf('\n'))).toList();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
