package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Digest;
import dev.ferry.json.Json;
import dev.ferry.manifest.LayerMediaTypes;
import dev.ferry.manifest.MediaType;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.External;
import dev.ferry.testing.FaultyProxy;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.Layers;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class PullAgainstRealRegistryTest {

    static LocalRegistry registry;
    static TestPusher pusher;
    static TestImage oci;
    static TestImage docker;
    static TestImage zstd;
    static TestImage plain;
    static TestImage amd64;
    static TestImage arm64;
    static Blob index;
    static TestImage big;

    @TempDir
    Path tmp;

    @BeforeAll
    static void pushFixtures() throws Exception {
        registry = LocalRegistry.start();
        pusher = new TestPusher(registry.hostPort());
        byte[] shared = Layers.tar(Map.of("usr/lib/shared.so", "a library used twice"));
        oci = TestImage.builder()
                .layer(Map.of("etc/os-release", "NAME=ferry-test\n", "bin/sh", "#!/bin/true\n"))
                .layerTar(shared)
                .layer(Map.of("app/main", "main program"))
                .layerTar(shared)
                .build();
        pusher.push("pull/oci", "1", oci);
        docker = TestImage.builder().docker().layer(Map.of("docker/file", "docker typed")).build();
        pusher.push("pull/docker", "1", docker);
        zstd = TestImage.builder().compression("zstd").layer(Map.of("z/file", "zstd layer")).build();
        pusher.push("pull/zstd", "1", zstd);
        plain = TestImage.builder().compression("none").layer(Map.of("p/file", "plain tar layer")).build();
        pusher.push("pull/plain", "1", plain);
        amd64 = TestImage.builder().platform("linux", "amd64", null).layer(Map.of("arch", "amd64")).build();
        arm64 = TestImage.builder().platform("linux", "arm64", "v8").layer(Map.of("arch", "arm64")).build();
        pusher.push("pull/multi", "amd64", amd64);
        pusher.push("pull/multi", "arm64", arm64);
        Map<String, TestImage> platforms = new LinkedHashMap<>();
        platforms.put("linux/amd64", amd64);
        platforms.put("linux/arm64/v8", arm64);
        index = TestImage.index(MediaType.OCI_INDEX, platforms);
        pusher.pushManifest("pull/multi", "latest", index);
        TestImage.Builder bigBuilder = TestImage.builder();
        for (int i = 0; i < 4; i++) {
            bigBuilder.layerTar(Layers.randomTar(i, 6 * 1024 * 1024));
        }
        big = bigBuilder.build();
        pusher.push("pull/big", "1", big);
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    private String ref(String repoTag) {
        return "docker://" + registry.hostPort() + "/" + repoTag;
    }

    private static JsonNode json(String text) {
        return Json.MAPPER.readTree(text);
    }

    private static String refName(JsonNode entry) {
        return entry.path("annotations").path("org.opencontainers.image.ref.name").asString(null);
    }

    @Test
    void pullWritesAVerifiedLayoutThatUmociUnpacks() throws Exception {
        Path layout = tmp.resolve("layout");
        Cli.Result result = Cli.run("pull", "-q", ref("pull/oci:1"), layout.toString());
        assertEquals(0, result.exitCode(), result.toString());

        JsonNode entries = LayoutAssertions.index(layout).get("manifests");
        assertEquals(1, entries.size());
        assertEquals(oci.digest().toString(), entries.get(0).get("digest").asString());
        assertEquals("1", refName(entries.get(0)));
        Set<Digest> reached = LayoutAssertions.assertEveryReferencedBlobVerifies(layout);
        assertEquals(1 + 1 + 3, reached.size(), "manifest, config and three distinct layers");
        assertArrayEquals(oci.manifest().bytes(), Files.readAllBytes(layout.resolve("blobs/sha256/" + oci.digest().hex())));

        Path bundle = tmp.resolve("bundle");
        External.check("umoci", "unpack", "--rootless", "--image", layout + ":1", bundle.toString());
        assertEquals("main program", Files.readString(bundle.resolve("rootfs/app/main")));
        assertEquals("a library used twice", Files.readString(bundle.resolve("rootfs/usr/lib/shared.so")));
    }

    @Test
    void aLayerListedTwiceIsFetchedOnceAndEveryLayerHasItsDiffId() throws Exception {
        Cli.Result result = Cli.run("pull", "--format", "json", ref("pull/oci:1"), tmp.resolve("l").toString());
        assertEquals(0, result.exitCode(), result.toString());
        JsonNode blobs = json(result.stdout()).get("Blobs");
        assertEquals(3 + 1, blobs.size(), "three distinct layers, then the config: " + result.stdout());
        for (JsonNode blob : blobs) {
            assertEquals("fetched", blob.get("Status").asString());
        }
        for (int i = 0; i < 3; i++) {
            assertTrue(oci.diffIds().contains(Digest.parse(blobs.get(i).get("DiffID").asString())));
        }
        assertEquals(oci.config().digest().toString(), blobs.get(3).get("Digest").asString());
        assertEquals(oci.digest().toString(), json(result.stdout()).get("Digest").asString());
    }

    @Test
    void aSecondPullReusesEveryBlobAndDownloadsNothing() throws Exception {
        Path layout = tmp.resolve("again");
        assertEquals(0, Cli.run("pull", "-q", ref("pull/oci:1"), layout.toString()).exitCode());
        Cli.Result again = Cli.run("pull", "--format", "json", ref("pull/oci:1"), layout.toString());
        assertEquals(0, again.exitCode(), again.toString());
        for (JsonNode blob : json(again.stdout()).get("Blobs")) {
            assertEquals("present", blob.get("Status").asString());
        }
        assertEquals(0, json(again.stdout()).get("BytesDownloaded").asLong());
    }

    @Test
    void zstdAndUncompressedLayersAreVerifiedAgainstTheirDiffIds() throws Exception {
        for (var pair : List.of(Map.entry("pull/zstd:1", zstd), Map.entry("pull/plain:1", plain))) {
            Path layout = tmp.resolve(pair.getKey().replace('/', '-').replace(':', '-'));
            Cli.Result result = Cli.run("pull", "--format", "json", ref(pair.getKey()), layout.toString());
            assertEquals(0, result.exitCode(), result.toString());
            JsonNode blob = json(result.stdout()).get("Blobs").get(0);
            assertEquals(pair.getValue().diffIds().get(0).toString(), blob.get("DiffID").asString());
            LayoutAssertions.assertEveryReferencedBlobVerifies(layout);
        }
    }

    @Test
    void aDockerTypedImageIsStoredExactlyAsServed() throws Exception {
        Path layout = tmp.resolve("docker");
        assertEquals(0, Cli.run("pull", "-q", ref("pull/docker:1"), layout.toString()).exitCode());
        JsonNode entry = LayoutAssertions.index(layout).get("manifests").get(0);
        assertEquals(MediaType.DOCKER_MANIFEST.value(), entry.get("mediaType").asString());
        assertEquals(docker.digest().toString(), entry.get("digest").asString());
        assertEquals(LayoutAssertions.blobFiles(layout), Set.of(docker.digest().hex(), docker.config().digest().hex(),
                docker.layers().get(0).digest().hex()));
        assertArrayEquals(docker.config().bytes(),
                Files.readAllBytes(layout.resolve("blobs/sha256/" + docker.config().digest().hex())));
    }

    @Test
    void aLayoutPushedBackWithSkopeoArrivesWithTheSameDigest() throws Exception {
        Path layout = tmp.resolve("roundtrip");
        assertEquals(0, Cli.run("pull", "-q", ref("pull/oci:1"), layout.toString()).exitCode());
        External.check("skopeo", "copy", "-q", "--dest-tls-verify=false", "oci:" + layout + ":1",
                ref("pull/roundtrip:1"));
        String raw = External.check("skopeo", "inspect", "--raw", "--tls-verify=false", ref("pull/roundtrip:1"));
        assertEquals(oci.digest(), Digest.sha256(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void skopeoAndFerryStoreTheSameBlobsForAnOciImage() throws Exception {
        Path ours = tmp.resolve("ours");
        Path theirs = tmp.resolve("theirs");
        assertEquals(0, Cli.run("pull", "-q", ref("pull/oci:1"), ours.toString()).exitCode());
        External.check("skopeo", "copy", "-q", "--src-tls-verify=false", ref("pull/oci:1"), "oci:" + theirs + ":1");
        assertEquals(LayoutAssertions.blobFiles(theirs), LayoutAssertions.blobFiles(ours));
    }

    @Test
    void inspectOfAPulledLayoutAgreesWithSkopeosInspectOfIt() throws Exception {
        Path layout = tmp.resolve("inspected");
        assertEquals(0, Cli.run("pull", "-q", ref("pull/oci:1"), layout.toString()).exitCode());

        Cli.Result ours = Cli.run("inspect", "oci:" + layout + ":1");
        assertEquals(0, ours.exitCode(), ours.toString());
        JsonNode mine = Json.MAPPER.readTree(ours.stdout());
        JsonNode theirs = Json.MAPPER.readTree(External.check("skopeo", "inspect", "oci:" + layout + ":1"));
        for (String field : List.of("Name", "Digest", "RepoTags", "Created", "DockerVersion", "Labels", "Architecture",
                "Os", "Layers", "Env")) {
            assertEquals(theirs.get(field), mine.get(field), field);
        }
        assertEquals(oci.digest().toString(), mine.get("Digest").asString());
        assertEquals(oci.config().digest().toString(), mine.get("ImageID").asString());
        assertEquals(oci.diffIds().getFirst().toString(), mine.get("LayersData").get(0).get("DiffID").asString());

        Cli.Result config = Cli.run("inspect", "--config", "oci:" + layout);
        assertEquals(oci.config().digest(), Digest.sha256(config.stdout().getBytes(StandardCharsets.UTF_8)),
                "the layout's only image needs no name");
    }

    @Test
    void inspectOfALayoutHoldingAnIndexDescribesTheSelectedPlatformAndListsThemAll() throws Exception {
        Path layout = tmp.resolve("inspected-all");
        assertEquals(0, Cli.run("pull", "-q", "--all", ref("pull/multi:latest"), layout.toString()).exitCode());

        Cli.Result result = Cli.run("inspect", "--override-arch", "arm64", "oci:" + layout + ":latest");

        assertEquals(0, result.exitCode(), result.toString());
        JsonNode mine = Json.MAPPER.readTree(result.stdout());
        assertEquals(index.digest().toString(), mine.get("Digest").asString());
        assertEquals(arm64.config().digest().toString(), mine.get("ImageID").asString());
        assertEquals(2, mine.get("Platforms").size());
        assertEquals(index.digest(), Digest.sha256(Cli.run("inspect", "--raw", "oci:" + layout + ":latest").stdout()
                .getBytes(StandardCharsets.UTF_8)), "--raw gives the index as stored");
    }

    @Test
    void pullingSeveralTagsKeepsThemAllAndAMovedTagReplacesOnlyItsEntry() throws Exception {
        Path layout = tmp.resolve("tags");
        TestImage first = TestImage.builder().layer(Map.of("v", "first")).build();
        TestImage second = TestImage.builder().layer(Map.of("v", "second")).build();
        pusher.push("pull/moving", "stable", first);
        pusher.push("pull/moving", "moving", first);
        assertEquals(0, Cli.run("pull", "-q", ref("pull/moving:stable"), layout.toString()).exitCode());
        assertEquals(0, Cli.run("pull", "-q", ref("pull/moving:moving"), layout.toString()).exitCode());
        assertEquals(0, Cli.run("pull", "-q", ref("pull/docker:1"), layout.toString()).exitCode());
        pusher.push("pull/moving", "moving", second);
        assertEquals(0, Cli.run("pull", "-q", ref("pull/moving:moving"), layout.toString()).exitCode());

        Map<String, String> byName = new LinkedHashMap<>();
        for (JsonNode entry : LayoutAssertions.index(layout).get("manifests")) {
            byName.put(refName(entry), entry.get("digest").asString());
        }
        assertEquals(Map.of("stable", first.digest().toString(), "moving", second.digest().toString(),
                "1", docker.digest().toString()), byName);
        LayoutAssertions.assertEveryReferencedBlobVerifies(layout);
    }

    @Test
    void aPullByDigestIsNamedByTheFullReference() throws Exception {
        Path layout = tmp.resolve("bydigest");
        String byDigest = registry.hostPort() + "/pull/docker@" + docker.digest();
        assertEquals(0, Cli.run("pull", "-q", "docker://" + byDigest, layout.toString()).exitCode());
        assertEquals(byDigest, refName(LayoutAssertions.index(layout).get("manifests").get(0)));
    }

    @Test
    void theRequestedPlatformIsPulledFromAMultiPlatformTag() throws Exception {
        Path layout = tmp.resolve("arm");
        Cli.Result result = Cli.run("pull", "-q", "--override-arch", "arm64", ref("pull/multi:latest"), layout.toString());
        assertEquals(0, result.exitCode(), result.toString());
        JsonNode entry = LayoutAssertions.index(layout).get("manifests").get(0);
        assertEquals(arm64.digest().toString(), entry.get("digest").asString());
        assertEquals(LayoutAssertions.assertEveryReferencedBlobVerifies(layout).size(), 3);
    }

    @Test
    void allStoresTheIndexAndEveryPlatform() throws Exception {
        Path layout = tmp.resolve("all");
        Cli.Result result = Cli.run("pull", "-q", "--all", ref("pull/multi:latest"), layout.toString());
        assertEquals(0, result.exitCode(), result.toString());
        JsonNode entry = LayoutAssertions.index(layout).get("manifests").get(0);
        assertEquals(index.digest().toString(), entry.get("digest").asString());
        Set<Digest> reached = LayoutAssertions.assertEveryReferencedBlobVerifies(layout);
        assertTrue(reached.containsAll(List.of(amd64.digest(), arm64.digest(), amd64.config().digest(),
                arm64.config().digest(), amd64.layers().get(0).digest(), arm64.layers().get(0).digest())));
    }

    @Test
    void twoPullProcessesIntoOneLayoutBothSucceedAndKeepBothEntries() throws Exception {
        Path layout = tmp.resolve("concurrent");
        for (int round = 0; round < 3; round++) {
            Process a = FerryProcess.start(tmp.resolve("a.out"), tmp.resolve("a.err"), "pull", "-q",
                    ref("pull/big:1"), layout.toString());
            Process b = FerryProcess.start(tmp.resolve("b.out"), tmp.resolve("b.err"), "pull", "-q",
                    ref("pull/docker:1"), layout.toString());
            assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, a.exitValue(), Files.readString(tmp.resolve("a.err")));
            assertEquals(0, b.exitValue(), Files.readString(tmp.resolve("b.err")));
            assertEquals(2, LayoutAssertions.index(layout).get("manifests").size());
            LayoutAssertions.assertEveryReferencedBlobVerifies(layout);
            Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
        }
    }

    @Test
    void aPullKilledAtAnyPointLeavesOnlyVerifiedBlobsAndARerunCompletes() throws Exception {
        Path layout = tmp.resolve("killed");
        java.util.Random random = new java.util.Random(42);
        for (int kill = 0; kill < 6; kill++) {
            Process p = FerryProcess.start(tmp.resolve("k.out"), tmp.resolve("k.err"), "pull", "-q", "--parallel", "2",
                    ref("pull/big:1"), layout.toString());
            Thread.sleep(150 + random.nextInt(700));
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            if (Files.exists(layout.resolve("index.json"))) {
                LayoutAssertions.assertEveryReferencedBlobVerifies(layout);
            }
            // A process killed while the JVM starts has not created the layout yet.
            if (Files.isDirectory(layout.resolve("blobs/sha256"))) {
                for (String name : LayoutAssertions.blobFiles(layout)) {
                    assertEquals(name, LayoutAssertions.hash(layout.resolve("blobs/sha256/" + name)).hex(),
                            "a blob under a digest name must hold that digest's content");
                }
            }
        }
        Cli.Result rerun = Cli.run("pull", "--format", "json", ref("pull/big:1"), layout.toString());
        assertEquals(0, rerun.exitCode(), rerun.toString());
        assertEquals(big.digest().toString(), LayoutAssertions.index(layout).get("manifests").get(0).get("digest").asString());
        assertEquals(6, LayoutAssertions.assertEveryReferencedBlobVerifies(layout).size());
        try (var partials = Files.list(layout.resolve(".ferry-partial"))) {
            assertEquals(List.of(), partials.toList(), "no partial file is left once the pull completed");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 10, unit = TimeUnit.MINUTES) // twenty JVM starts on a loaded machine
    void twentyKillsAtSeededMomentsLeaveOnlyVerifiedBlobsAndARerunCompletes() throws Exception {
        Path layout = tmp.resolve("killed20");
        Path partialDir = layout.resolve(".ferry-partial");
        java.util.Random random = new java.util.Random(20);
        Map<String, Long> partialsBefore = Map.of();
        int resumed = 0;
        int kills = 0;
        int killsWhileIncomplete = 0;
        List<String> trace = new ArrayList<>();
        // Through a proxy that sends 1 MiB/s per connection (and injects nothing), so that the pull
        // is still running at most of the kills.
        FaultyProxy slow = FaultyProxy.start(registry.port(), 0, 0, 0).throttle(1024 * 1024);
        for (int kill = 0; kill < 20; kill++) {
            Process p = FerryProcess.start(tmp.resolve("k.out"), tmp.resolve("k.err"), "pull", "-q", "--parallel", "2",
                    "docker://" + slow.hostPort() + "/pull/big:1", layout.toString());
            // Killed once it has written bytes, however long a loaded machine takes to start the JVM,
            // then at a seeded moment up to 1.5 s (1.5 MiB per connection) later.
            long written = bytesOnDisk(layout);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (p.isAlive() && bytesOnDisk(layout) == written && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(random.nextInt(1500));
            boolean finished = !p.isAlive();
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            kills++;
            if (!finished) {
                killsWhileIncomplete++;
            }
            if (Files.exists(layout.resolve("index.json"))) {
                LayoutAssertions.assertEveryReferencedBlobVerifies(layout);
            }
            // A process killed while the JVM starts has not created the layout yet.
            Set<String> blobs = Files.isDirectory(layout.resolve("blobs/sha256")) ? LayoutAssertions.blobFiles(layout)
                    : Set.of();
            for (String name : blobs) {
                assertEquals(name, LayoutAssertions.hash(layout.resolve("blobs/sha256/" + name)).hex(),
                        "a blob under a digest name must hold that digest's content");
            }
            Map<String, Long> partials = partialFiles(partialDir);
            // A partial file of the run before that grew, or became its blob, was resumed from its bytes.
            for (var before : partialsBefore.entrySet()) {
                String hex = before.getKey().substring("sha256-".length());
                Long now = partials.get(before.getKey());
                if (before.getValue() > 0 && (blobs.contains(hex) || (now != null && now > before.getValue()))) {
                    resumed++;
                }
            }
            trace.add(blobs.size() + "b/" + partials.values());
            partialsBefore = partials;
        }
        slow.close();
        Cli.Result rerun = Cli.run("pull", "--debug", "--format", "json", ref("pull/big:1"), layout.toString());
        assertEquals(0, rerun.exitCode(), rerun.toString());
        long nonEmptyPartials = partialsBefore.values().stream().filter(size -> size > 0).count();
        long rangedAnswers = rerun.stderr().lines().filter(line -> line.contains("/blobs/") && line.contains("-> 206")).count();
        assertEquals(nonEmptyPartials, rangedAnswers, "the rerun resumes every partial file: " + rerun.stderr());
        String report = kills + " kills (" + killsWhileIncomplete + " while running), blobs/partial sizes after each "
                + trace + ", partial files resumed by the next run " + resumed + ", by the rerun " + rangedAnswers;
        assertEquals(20, kills, report);
        // 24 MiB at 1 MiB/s per connection, two connections, killed at most about 1.5 s after its first
        // bytes: no run before the fifth can have finished, so the loop killed pulls in flight.
        assertTrue(killsWhileIncomplete >= 4, report);
        assertTrue(resumed > 0, report);
        assertEquals(big.digest().toString(), LayoutAssertions.index(layout).get("manifests").get(0).get("digest").asString());
        assertEquals(6, LayoutAssertions.assertEveryReferencedBlobVerifies(layout).size());
        for (String name : LayoutAssertions.blobFiles(layout)) {
            assertEquals(name, LayoutAssertions.hash(layout.resolve("blobs/sha256/" + name)).hex());
        }
        assertEquals(Map.of(), partialFiles(partialDir), "no partial file is left once the pull completed");
    }

    /** What a pull has written so far: its partial files and finished blobs, in bytes. */
    private static long bytesOnDisk(Path layout) throws java.io.IOException {
        long total = 0;
        for (Path dir : List.of(layout.resolve(".ferry-partial"), layout.resolve("blobs/sha256"))) {
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        try {
                            total += Files.size(file);
                        } catch (java.nio.file.NoSuchFileException renamed) {
                            // a partial file that just became its blob: counted under blobs next time
                        }
                    }
                }
            }
        }
        return total;
    }

    private static Map<String, Long> partialFiles(Path dir) throws java.io.IOException {
        Map<String, Long> sizes = new java.util.TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    sizes.put(file.getFileName().toString(), Files.size(file));
                }
            }
        }
        return sizes;
    }

    @Test
    void foreignLayersAreSkippedWithANoticeUnlessIncluded() throws Exception {
        TestImage base = TestImage.builder().docker().layer(Map.of("f", "foreign base")).layer(Map.of("g", "own")).build();
        // Re-type the first layer as foreign, as Windows base images are; registries require its URLs.
        String manifest = new String(base.manifest().bytes(), java.nio.charset.StandardCharsets.UTF_8)
                .replaceFirst("\"" + LayerMediaTypes.DOCKER_GZIP.replace(".", "\\.") + "\",",
                        "\"" + LayerMediaTypes.DOCKER_FOREIGN + "\",\"urls\":[\"https://example.invalid/base.tar.gz\"],");
        Blob foreignManifest = new Blob(MediaType.DOCKER_MANIFEST.value(), manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        pusher.pushBlob("pull/foreign", base.config());
        for (Blob layer : base.layers()) {
            pusher.pushBlob("pull/foreign", layer);
        }
        pusher.pushManifest("pull/foreign", "1", foreignManifest);

        Cli.Result skipped = Cli.run("pull", "--format", "json", ref("pull/foreign:1"), tmp.resolve("f1").toString());
        assertEquals(0, skipped.exitCode(), skipped.toString());
        assertTrue(skipped.stderr().contains("foreign"), skipped.stderr());
        List<String> statuses = new ArrayList<>();
        json(skipped.stdout()).get("Blobs").forEach(b -> statuses.add(b.get("Status").asString()));
        assertTrue(statuses.contains("foreign-skipped") && statuses.contains("fetched"), statuses.toString());

        Cli.Result included = Cli.run("pull", "-q", "--include-foreign", ref("pull/foreign:1"), tmp.resolve("f2").toString());
        assertEquals(0, included.exitCode(), included.toString());
        LayoutAssertions.assertEveryReferencedBlobVerifies(tmp.resolve("f2"));
    }
}
