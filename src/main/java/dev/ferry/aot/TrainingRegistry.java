package dev.ferry.aot;

import dev.ferry.digest.Digest;
import dev.ferry.manifest.MediaType;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The training run's registries, in a process of their own: the AOT cache holds every class the
 * training JVM loads and loads them all at each start, and an HTTP server's classes (with what
 * building the pull image loads: compressors, native hashing) are no use to the commands. It serves
 * a tiny image and a generated pull image on one port, accepts pushes on another, prints both ports
 * on one line and stops when its standard input closes, so a killed training run takes it along.
 */
public final class TrainingRegistry {

    private TrainingRegistry() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, byte[]> routes = routes();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> answer(exchange, routes));
        server.start();
        // A second registry, for the copy path: uploads between registries, mounts within one.
        HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/", exchange -> answer(exchange, Map.of("/v2/", "{}".getBytes(StandardCharsets.UTF_8))));
        target.start();
        System.out.println(server.getAddress().getPort() + " " + target.getAddress().getPort());
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // Nothing is sent; end of input is the signal to stop.
        }
        server.stop(0);
        target.stop(0);
    }

    /** Request paths and the bytes they answer with. */
    static Map<String, byte[]> routes() throws IOException {
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
        // Everything again under mirror/, so that a sync into mirror/ finds it all in place.
        Map.copyOf(allRoutes).forEach((path, body) -> allRoutes.put(path.replaceFirst("^/v2/(?=.)", "/v2/mirror/"), body));
        return allRoutes;
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
                exchange.getResponseHeaders().add("Docker-Content-Digest", Digest.sha256(body).toString());
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
