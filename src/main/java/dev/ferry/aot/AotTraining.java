package dev.ferry.aot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.cli.ExitCodes;
import dev.ferry.cli.Main;
import dev.ferry.digest.Digest;
import dev.ferry.manifest.MediaType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A training run for the JVM's ahead-of-time cache ({@code -XX:AOTCacheOutput}): it serves a tiny
 * image from an in-process loopback registry and runs the commands users wait for, so that the
 * classes they load are cached. Offline by design: it needs no registry and no network.
 */
public final class AotTraining {

    private AotTraining() {
    }

    /**
     * Trains every command, or with the argument {@code queries} only the commands that print what a
     * registry holds (inspect, list-tags, history, help): their own cache is a third the size, and a
     * command that runs for a few hundred milliseconds pays for every class the cache loads at start.
     */
    public static void main(String[] args) throws IOException {
        boolean queries = args.length > 0 && args[0].equals("queries");
        List<String> unexpected = (queries ? train(true) : train()).unexpected();
        if (!unexpected.isEmpty()) {
            // The cache is still worth keeping: it holds what the other commands loaded.
            System.err.println("ferry AOT training: unexpected exit codes: " + unexpected);
        }
    }

    /** The command lines run, and those among them that did not end as expected (none, normally). */
    record Result(List<String> ran, List<String> unexpected) {
    }

    /** Runs the training commands. */
    static Result train() throws IOException {
        return train(false);
    }

    /** Runs the training commands: with {@code queriesOnly}, those of {@link #main}'s queries alone. */
    static Result train(boolean queriesOnly) throws IOException {
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
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> answer(exchange, allRoutes));
        server.start();
        // A second registry, for the copy path: uploads between registries, mounts within one.
        HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/", exchange -> answer(exchange, Map.of("/v2/", "{}".getBytes(StandardCharsets.UTF_8))));
        target.start();
        Commands commands = new Commands(new PrintStream(OutputStream.nullOutputStream()));
        String repo = "127.0.0.1:" + server.getAddress().getPort() + "/train";
        String pullRepo = repo.replace("/train", "/pulltrain");
        try {
            commands.ok("inspect", "docker://" + repo + ":latest");
            commands.ok("inspect", "--override-arch", "amd64", "docker://" + repo + ":multi");
            commands.ok("inspect", "--raw", "docker://" + repo + ":latest");
            commands.ok("inspect", "--config", "docker://" + repo + ":latest");
            commands.ok("inspect", "--format", "{{.Digest}} {{range .RepoTags}}{{.}} {{end}}{{index .Labels \"a\"}}",
                    "docker://" + repo + ":latest");
            commands.ok("list-tags", "docker://" + repo);
            commands.exits(ExitCodes.NOT_FOUND, "inspect", "docker://" + repo + ":missing");
            commands.ok("--help");
            commands.ok("history", "docker://" + repo + ":latest");
            if (queriesOnly) {
                return new Result(commands.ran(), commands.unexpected());
            }
            // The pull path: profiles recorded here let the compiler reach the hot loops sooner.
            java.nio.file.Path layout = java.nio.file.Files.createTempDirectory("ferry-aot-training");
            try {
                for (int i = 0; i < 3; i++) {
                    commands.ok("pull", "--format", "json", "docker://" + pullRepo + ":1",
                            layout.resolve("run" + i).toString());
                }
                // Layouts and their tars: inspect, pack and unpack.
                commands.ok("inspect", "oci:" + layout.resolve("run0"));
                commands.ok("copy", "oci:" + layout.resolve("run0"), "oci-archive:" + layout.resolve("image.tar"));
                commands.ok("inspect", "oci-archive:" + layout.resolve("image.tar"));
            } finally {
                dev.ferry.files.FileTrees.delete(layout);
            }
            sync(commands, repo, target.getAddress().getPort());
            for (int i = 0; i < 2; i++) {
                commands.ok("copy", "--format", "json", "docker://" + pullRepo + ":1",
                        "docker://127.0.0.1:" + target.getAddress().getPort() + "/copytrain:1");
                commands.ok("copy", "docker://" + pullRepo + ":1", "docker://" + repo + "/mounted:1");
            }
        } finally {
            server.stop(0);
            target.stop(0);
        }
        return new Result(commands.ran(), commands.unexpected());
    }

    /**
     * sync as scripts/bench-sync runs it: a round that copies every tag to another registry, then
     * rounds into a mirror that already holds them (nothing to copy: start-up and requests alone).
     */
    private static void sync(Commands commands, String repo, int targetPort) throws IOException {
        String source = repo.substring(0, repo.indexOf('/'));
        java.nio.file.Path copying = java.nio.file.Files.createTempFile("ferry-aot-sync", ".yaml");
        java.nio.file.Path unchanged = java.nio.file.Files.createTempFile("ferry-aot-sync", ".yaml");
        try {
            String target = "\"127.0.0.1:" + targetPort + "\":\n  tls-verify: false\n";
            java.nio.file.Files.writeString(copying, "\"" + source + "\":\n  tls-verify: false\n  images:\n"
                    + "    pulltrain: [\"1\"]\n" + target);
            java.nio.file.Files.writeString(unchanged, "\"" + source + "\":\n  tls-verify: false\n  images:\n"
                    + "    train: []\n    pulltrain: [\"1\"]\n");
            commands.ok("sync", "--dest", "127.0.0.1:" + targetPort + "/synced", copying.toString());
            for (int i = 0; i < 2; i++) {
                commands.ok("sync", "--format", "json", "--dest", source + "/mirror", unchanged.toString());
            }
        } finally {
            java.nio.file.Files.deleteIfExists(copying);
            java.nio.file.Files.deleteIfExists(unchanged);
        }
    }

    /** Runs CLI commands with their output dropped, noting those that end other than expected. */
    private record Commands(PrintStream sink, List<String> ran, List<String> unexpected) {
        Commands(PrintStream sink) {
            this(sink, new ArrayList<>(), new ArrayList<>());
        }

        void ok(String... args) {
            exits(ExitCodes.OK, args);
        }

        void exits(int exitCode, String... args) {
            ran.add(String.join(" ", args));
            int got = Main.run(sink, sink, args);
            if (got != exitCode) {
                unexpected.add(String.join(" ", args) + " -> " + got);
            }
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
