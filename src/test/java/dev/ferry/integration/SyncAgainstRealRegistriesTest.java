package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.json.Json;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.CountingProxy;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code ferry sync} between two real docker-registry instances, each behind a proxy that counts
 * requests by method and the blob bytes served, as an access log would.
 */
class SyncAgainstRealRegistriesTest {

    static final OkHttpClient HTTP = new OkHttpClient();
    static LocalRegistry source;
    static LocalRegistry target;
    static CountingProxy src;
    static CountingProxy dst;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        source = LocalRegistry.start();
        target = LocalRegistry.start();
        src = CountingProxy.start(source.hostPort());
        dst = CountingProxy.start(target.hostPort());
    }

    @AfterAll
    static void stop() throws Exception {
        src.close();
        dst.close();
        source.close();
        target.close();
    }

    @BeforeEach
    void resetCounts() {
        src.reset();
        dst.reset();
    }

    static TestImage image(String content, Blob... shared) {
        TestImage own = TestImage.builder().layer(Map.of("etc/" + content, content + "\n")).build();
        if (shared.length == 0) {
            return own;
        }
        List<Blob> layers = new ArrayList<>(List.of(shared));
        layers.addAll(own.layers());
        return TestImage.builder().layer(Map.of("a", "a")).build().withLayers(layers);
    }

    Path config(String body) throws Exception {
        Path file = dir.resolve("sync.yaml");
        Files.writeString(file, """
                creds:
                  - {registry: "%s", tls: disabled}
                  - {registry: "%s", tls: disabled}
                sync:
                """.formatted(src.hostPort(), dst.hostPort()) + body);
        return file;
    }

    static List<JsonNode> lines(Cli.Result result) {
        return result.stdout().lines().map(l -> Json.MAPPER.readTree(l)).toList();
    }

    static List<JsonNode> images(Cli.Result result, String status) {
        return lines(result).stream().filter(n -> status.equals(n.path("status").asString(""))).toList();
    }

    static String digestAt(String hostPort, String repo, String tag) throws Exception {
        Request head = new Request.Builder().url("http://" + hostPort + "/v2/" + repo + "/manifests/" + tag)
                .head().header("Accept", dev.ferry.manifest.MediaType.ACCEPT).build();
        try (Response r = HTTP.newCall(head).execute()) {
            return r.code() == 200 ? r.header("Docker-Content-Digest") : null;
        }
    }

    @Test
    void aSecondRunWithNothingChangedMakesNoManifestGetAndMovesNoBlobBytes() throws Exception {
        TestPusher pusher = new TestPusher(source.hostPort());
        pusher.push("same/app", "1.0", image("one"));
        pusher.push("same/app", "2.0", image("two"));
        Path file = config("""
                  - {source: "%s/same/app", target: "%s/mirror/same-app", type: repository}
                """.formatted(src.hostPort(), dst.hostPort()));

        Cli.Result first = Cli.run("sync", "--format", "json", file.toString());
        assertEquals(0, first.exitCode(), first.toString());
        assertEquals(2, images(first, "copied").size(), first.toString());
        for (String tag : List.of("1.0", "2.0")) {
            assertEquals(digestAt(source.hostPort(), "same/app", tag), digestAt(target.hostPort(), "mirror/same-app", tag));
        }

        src.reset();
        dst.reset();
        Cli.Result second = Cli.run("sync", "--format", "json", file.toString());
        assertEquals(0, second.exitCode(), second.toString());
        assertEquals(2, images(second, "up-to-date").size(), second.toString());
        assertEquals(0, src.count("GET", "manifests"), src.log.toString());
        assertEquals(0, dst.count("GET", "manifests"), dst.log.toString());
        assertEquals(0, src.count("GET", "blobs") + src.blobBytesServed(), src.log.toString());
        assertEquals(0, dst.count("PUT", "manifests") + dst.count("POST", "uploads"), dst.log.toString());
        assertEquals(2, src.count("HEAD", "manifests"));
        assertEquals(2, dst.count("HEAD", "manifests"));
        JsonNode summary = lines(second).getLast();
        assertEquals(2, summary.path("round").path("upToDate").asInt());
        assertFalse(summary.path("round").path("requests").path(src.hostPort()).has("GET")
                && src.count("GET", "tags") == 0);
    }

    @Test
    void aMovedTagCopiesOnlyThatTag() throws Exception {
        TestPusher pusher = new TestPusher(source.hostPort());
        pusher.push("moved/app", "a", image("a1"));
        pusher.push("moved/app", "b", image("b1"));
        Path file = config("""
                  - {source: "%s/moved/app", target: "%s/moved/app", type: repository}
                """.formatted(src.hostPort(), dst.hostPort()));
        assertEquals(0, Cli.run("sync", file.toString()).exitCode());

        TestImage moved = image("a2");
        pusher.push("moved/app", "a", moved);
        src.reset();
        Cli.Result run = Cli.run("sync", "--format", "json", file.toString());
        List<JsonNode> copied = images(run, "copied");
        assertEquals(1, copied.size(), run.toString());
        assertTrue(copied.getFirst().path("source").asString().endsWith("moved/app:a"));
        assertEquals(moved.digest().toString(), copied.getFirst().path("targetDigest").asString());
        assertEquals(1, images(run, "up-to-date").size());
        assertEquals(moved.digest().toString(), digestAt(target.hostPort(), "moved/app", "a"));
        assertEquals(1, src.count("GET", "manifests"), src.log.toString());
    }

    @Test
    void aNewTagMatchingAllowAppearsOnTheNextRoundAndADeniedOneNever() throws Exception {
        TestPusher pusher = new TestPusher(source.hostPort());
        pusher.push("filtered/app", "v1.0", image("v10"));
        pusher.push("filtered/app", "dev", image("dev"));
        Path file = config("""
                  - source: "%s/filtered/app"
                    target: "%s/filtered/app"
                    type: repository
                    tags: {allow: ['v1\\..*'], deny: ['.*-rc.*']}
                """.formatted(src.hostPort(), dst.hostPort()));
        assertEquals(1, images(Cli.run("sync", "--format", "json", file.toString()), "copied").size());

        pusher.push("filtered/app", "v1.1", image("v11"));
        pusher.push("filtered/app", "v1.2-rc1", image("rc"));
        Cli.Result next = Cli.run("sync", "--format", "json", file.toString());
        List<JsonNode> copied = images(next, "copied");
        assertEquals(1, copied.size(), next.toString());
        assertTrue(copied.getFirst().path("source").asString().endsWith(":v1.1"));
        assertEquals(null, digestAt(target.hostPort(), "filtered/app", "dev"));
        assertEquals(null, digestAt(target.hostPort(), "filtered/app", "v1.2-rc1"));
    }

    @Test
    void aBlobSharedByImagesOfOneRoundIsDownloadedOnceAndMountedForTheOthers() throws Exception {
        java.util.Random random = new java.util.Random(7);
        StringBuilder text = new StringBuilder();
        while (text.length() < 512 * 1024) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        byte[] big = dev.ferry.testing.Layers.tar(Map.of("big", text.toString()));
        Blob shared = new Blob(dev.ferry.manifest.LayerMediaTypes.OCI_TAR, big);
        TestPusher pusher = new TestPusher(source.hostPort());
        for (String repo : List.of("shared/one", "shared/two", "shared/three")) {
            pusher.push(repo, "1", image(repo.replace('/', '-'), shared));
        }
        Path file = config("""
                  - {source: "%s/shared/one:1", target: "%s/shared/one"}
                  - {source: "%s/shared/two:1", target: "%s/shared/two"}
                  - {source: "%s/shared/three:1", target: "%s/shared/three"}
                """.formatted(src.hostPort(), dst.hostPort(), src.hostPort(), dst.hostPort(), src.hostPort(),
                dst.hostPort()));
        Cli.Result run = Cli.run("sync", "--format", "json", file.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(3, images(run, "copied").size());
        long sharedGets = src.log.stream().filter(l -> l.startsWith("GET ") && l.endsWith(shared.digest().toString())).count();
        assertEquals(1, sharedGets, src.log.toString());
        String hex = shared.digest().toString().substring("sha256:".length());
        assertEquals(2, dst.log.stream().filter(l -> l.startsWith("POST ") && l.contains("mount=") && l.contains(hex))
                .count(), "two of the three images mount the shared layer: " + dst.log);
        assertTrue(src.blobBytesServed() < 2L * big.length, "the shared layer crossed once: " + src.blobBytesServed());
    }

    @Test
    void aLayoutTargetIsKeptCurrentAndItsVanishedTagsArePrunedOnlyWithPrune() throws Exception {
        TestPusher pusher = new TestPusher(source.hostPort());
        pusher.push("node/app", "keep", image("keep"));
        pusher.push("node/app", "gone", image("gone"));
        Path layout = dir.resolve("layout");
        Path file = config("""
                  - {source: "%s/node/app", target: "oci:%s", type: repository, prune: true}
                """.formatted(src.hostPort(), layout));
        assertEquals(2, images(Cli.run("sync", "--format", "json", file.toString()), "copied").size());
        assertTrue(Files.readString(layout.resolve("index.json")).contains("node/app:gone"));

        deleteTag("node/app", "gone");
        src.reset();
        Cli.Result second = Cli.run("sync", "--format", "json", file.toString());
        assertEquals(0, second.exitCode(), second.toString());
        assertEquals(1, images(second, "up-to-date").size(), second.toString());
        assertEquals(0, src.count("GET", "manifests"));
        String index = Files.readString(layout.resolve("index.json"));
        assertTrue(index.contains("node/app:keep"), index);
        assertFalse(index.contains("node/app:gone"), index);
    }

    static void deleteTag(String repo, String tag) throws Exception {
        String digest = digestAt(source.hostPort(), repo, tag);
        Request delete = new Request.Builder().url("http://" + source.hostPort() + "/v2/" + repo + "/manifests/" + digest)
                .delete().build();
        try (Response r = HTTP.newCall(delete).execute()) {
            assertEquals(202, r.code());
        }
    }

    @Test
    void anImageThatFailsIsReportedAndTheOthersAreStillCopiedWithExitOne() throws Exception {
        new TestPusher(source.hostPort()).push("partly/ok", "1", image("ok"));
        Path file = config("""
                  - {source: "%s/partly/missing:1", target: "%s/partly/missing"}
                  - {source: "%s/partly/ok:1", target: "%s/partly/ok"}
                """.formatted(src.hostPort(), dst.hostPort(), src.hostPort(), dst.hostPort()));
        Cli.Result run = Cli.run("sync", file.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.stdout().lines().anyMatch(l -> l.startsWith("failed") && l.contains("partly/missing")), run.stdout());
        assertTrue(run.stdout().lines().anyMatch(l -> l.startsWith("copied") && l.contains("partly/ok")), run.stdout());
        assertTrue(run.stdout().contains("round 1: 0 up-to-date, 1 copied, 1 failed"), run.stdout());
    }

    @Test
    void aDryRunPrintsThePlanAndCopiesNothing() throws Exception {
        new TestPusher(source.hostPort()).push("dry/app", "x", image("x"));
        Path file = config("""
                  - {source: "%s/dry/app", target: "%s/dry/app", type: repository}
                """.formatted(src.hostPort(), dst.hostPort()));
        Cli.Result run = Cli.run("sync", "--dry-run", file.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("plan " + src.hostPort() + "/dry/app:x -> " + dst.hostPort() + "/dry/app:x", run.stdout().trim());
        assertEquals(0, dst.total());
        assertEquals(0, src.count("GET", "manifests") + src.count("HEAD", "manifests"));
    }

    @Test
    void anInvalidConfigurationExitsTwoNamingTheLineAndTheField() throws Exception {
        Path file = config("""
                  - {source: "%s/x/y", target: "%s/x/y", type: repository, tags: {allow: ['[']}}
                """.formatted(src.hostPort(), dst.hostPort()));
        Cli.Result run = Cli.run("sync", file.toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.stderr().contains(file + ":5:"), run.stderr());
        assertTrue(run.stderr().contains("sync[0].tags"), run.stderr());
        assertEquals("", run.stdout());
    }
}
