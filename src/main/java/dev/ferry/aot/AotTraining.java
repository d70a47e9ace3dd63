package dev.ferry.aot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.cli.Main;
import dev.ferry.digest.Digest;
import dev.ferry.manifest.MediaType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A training run for the JVM's ahead-of-time cache ({@code -XX:AOTCacheOutput}): it serves a tiny
 * image from an in-process loopback registry and runs the commands users wait for, so that the
 * classes they load are cached. Offline by design: it needs no registry and no network.
 */
public final class AotTraining {

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-01T00:00:00Z\","
                + "\"config\":{\"Env\":[\"PATH=/bin\"],\"Labels\":{\"a\":\"b\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + "0".repeat(64) + "\"]},"
                + "\"history\":[{\"created_by\":\"x\"},{\"created_by\":\"y\",\"empty_layer\":true}]}";
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Digest.sha256(configBytes);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST.value() + "\","
                + "\"config\":{\"mediaType\":\"" + MediaType.OCI_CONFIG + "\",\"digest\":\"" + configDigest
                + "\",\"size\":" + configBytes.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:" + "1".repeat(64)
                + "\",\"size\":1}]}";
        byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
        Digest manifestDigest = Digest.sha256(manifestBytes);
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX.value() + "\",\"manifests\":[{"
                + "\"mediaType\":\"" + MediaType.OCI_MANIFEST.value() + "\",\"digest\":\"" + manifestDigest
                + "\",\"size\":" + manifestBytes.length + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}";
        byte[] indexBytes = index.getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> routes = Map.of(
                "/v2/train/manifests/latest", manifestBytes,
                "/v2/train/manifests/multi", indexBytes,
                "/v2/train/manifests/" + manifestDigest, manifestBytes,
                "/v2/train/blobs/" + configDigest, configBytes,
                "/v2/train/tags/list", "{\"name\":\"train\",\"tags\":[\"latest\",\"multi\"]}".getBytes(StandardCharsets.UTF_8),
                "/v2/", "{}".getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> allRoutes = new java.util.HashMap<>(routes);
        TrainingImage.addTo(allRoutes);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> answer(exchange, allRoutes));
        server.start();
        // A second registry, for the copy path: uploads between registries, mounts within one.
        HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/", exchange -> answer(exchange, Map.of("/v2/", "{}".getBytes(StandardCharsets.UTF_8))));
        target.start();
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        String repo = "127.0.0.1:" + server.getAddress().getPort() + "/train";
        try {
            Main.run(sink, sink, "inspect", "docker://" + repo + ":latest");
            Main.run(sink, sink, "inspect", "--override-arch", "amd64", "docker://" + repo + ":multi");
            Main.run(sink, sink, "inspect", "--raw", "docker://" + repo + ":latest");
            Main.run(sink, sink, "inspect", "--config", "docker://" + repo + ":latest");
            Main.run(sink, sink, "inspect", "--format", "{{.Digest}} {{range .RepoTags}}{{.}} {{end}}{{index .Labels \"a\"}}",
                    "docker://" + repo + ":latest");
            Main.run(sink, sink, "list-tags", "docker://" + repo);
            Main.run(sink, sink, "inspect", "docker://" + repo + ":missing");
            Main.run(sink, sink, "--help");
            // The pull path: profiles recorded here let the compiler reach the hot loops sooner.
            java.nio.file.Path layout = java.nio.file.Files.createTempDirectory("ferry-aot-training");
            try {
                for (int i = 0; i < 3; i++) {
                    Main.run(sink, sink, "pull", "--format", "json", "docker://" + repo.replace("/train", "/pulltrain") + ":1",
                            layout.resolve("run" + i).toString());
                }
                // Layouts and their tars: inspect, pack and unpack.
                Main.run(sink, sink, "inspect", "oci:" + layout.resolve("run0"));
                Main.run(sink, sink, "copy", "oci:" + layout.resolve("run0"), "oci-archive:" + layout.resolve("image.tar"));
                Main.run(sink, sink, "inspect", "oci-archive:" + layout.resolve("image.tar"));
            } finally {
                dev.ferry.files.FileTrees.delete(layout);
            }
            String pullRepo = repo.replace("/train", "/pulltrain");
            for (int i = 0; i < 2; i++) {
                Main.run(sink, sink, "copy", "--format", "json", "docker://" + pullRepo + ":1",
                        "docker://127.0.0.1:" + target.getAddress().getPort() + "/copytrain:1");
                Main.run(sink, sink, "copy", "docker://" + pullRepo + ":1", "docker://" + repo + "/mounted:1");
            }
        } finally {
            server.stop(0);
            target.stop(0);
        }
    }

    /** Answers the requests of a push as a registry would, keeping nothing; false for other requests. */
    private static boolean acceptPush(HttpExchange exchange, String path) throws IOException {
        String method = exchange.getRequestMethod();
        String query = exchange.getRequestURI().getRawQuery();
        boolean start = method.equals("POST") && path.endsWith("/blobs/uploads/");
        boolean put = method.equals("PUT") && (path.contains("/blobs/uploads/") || path.contains("/manifests/"));
        if (!start && !put) {
            return false;
        }
        try (exchange) {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            boolean mount = start && query != null && query.contains("mount=");
            if (start) {
                exchange.getResponseHeaders().add("Location", mount ? path : "session?_state=training");
            }
            exchange.sendResponseHeaders(put || mount ? 201 : 202, -1);
        }
        return true;
    }

    private static void answer(HttpExchange exchange, Map<String, byte[]> routes) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (acceptPush(exchange, path)) {
            return;
        }
        byte[] body = routes.get(exchange.getRequestURI().getPath());
        if (body == null) {
            body = "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}".getBytes(StandardCharsets.UTF_8);
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(404, -1); // a blob the copy's destination does not have
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(404, body.length);
        } else {
            if (path.contains("/manifests/")) {
                exchange.getResponseHeaders().add("Content-Type", path.endsWith("multi")
                        ? MediaType.OCI_INDEX.value() : MediaType.OCI_MANIFEST.value());
            }
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
        }
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
