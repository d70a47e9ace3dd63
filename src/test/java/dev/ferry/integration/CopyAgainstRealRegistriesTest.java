package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.auth.Credentials;
import dev.ferry.digest.Digest;
import dev.ferry.json.Json;
import dev.ferry.manifest.LayerMediaTypes;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.MediaType;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.External;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.Layers;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ferry copy} between two real docker-registry instances on loopback: {@code open} without
 * auth and {@code locked} with htpasswd Basic auth. Every digest a copy gives is compared with the
 * source's and with what skopeo gives for the same copy.
 */
class CopyAgainstRealRegistriesTest {

    static final String USER = "copier";
    static final String PASSWORD = "c0py-Passw0rd";
    static final String CREDS = USER + ":" + PASSWORD;
    static final OkHttpClient HTTP = new OkHttpClient();

    static LocalRegistry open;
    static LocalRegistry locked;
    static final Map<String, TestImage> IMAGES = new LinkedHashMap<>();
    static TestImage amd64;
    static TestImage arm64;
    static Blob index;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startRegistriesAndPushFixtures() throws Exception {
        open = LocalRegistry.start();
        locked = LocalRegistry.start("--htpasswd", CREDS);
        TestPusher pusher = new TestPusher(open.hostPort());

        IMAGES.put("docker", TestImage.builder().docker()
                .layer(Map.of("etc/os-release", "NAME=docker-typed\n"))
                .layer(Map.of("app/run", "#!/bin/true\n"))
                .build());
        // One OCI image whose three layers are gzip, zstd and uncompressed: the same tars built three
        // ways, so the config's diff_ids hold for the mixed manifest.
        byte[] base = Layers.tar(Map.of("etc/os-release", "NAME=mixed\n"));
        byte[] lib = Layers.tar(Map.of("usr/lib/z.so", "a zstd layer"));
        byte[] app = Layers.tar(Map.of("app/main", "an uncompressed layer"));
        TestImage gzip = TestImage.builder().layerTar(base).layerTar(lib).layerTar(app).build();
        TestImage zstd = TestImage.builder().compression("zstd").layerTar(base).layerTar(lib).layerTar(app).build();
        TestImage none = TestImage.builder().compression("none").layerTar(base).layerTar(lib).layerTar(app).build();
        IMAGES.put("mixed", gzip.withLayers(List.of(gzip.layers().get(0), zstd.layers().get(1), none.layers().get(2))));
        // umoci cannot unpack zstd: gzip and uncompressed only.
        TestImage plainApp = TestImage.builder().compression("none").layerTar(base).layerTar(app).build();
        TestImage gzipApp = TestImage.builder().layerTar(base).layerTar(app).build();
        IMAGES.put("unpackable", gzipApp.withLayers(List.of(gzipApp.layers().get(0), plainApp.layers().get(1))));
        for (var image : IMAGES.entrySet()) {
            pusher.push("src/" + image.getKey(), "1", image.getValue());
        }

        amd64 = TestImage.builder().platform("linux", "amd64", null).layer(Map.of("arch", "amd64")).build();
        arm64 = TestImage.builder().platform("linux", "arm64", "v8").layer(Map.of("arch", "arm64")).build();
        pusher.push("src/multi", "amd64", amd64);
        pusher.push("src/multi", "arm64", arm64);
        Map<String, TestImage> platforms = new LinkedHashMap<>();
        platforms.put("linux/amd64", amd64);
        platforms.put("linux/arm64/v8", arm64);
        index = TestImage.index(MediaType.OCI_INDEX, platforms);
        pusher.pushManifest("src/multi", "latest", index);
        new TestPusher(HttpUrl.get("http://" + locked.hostPort() + "/"), new Credentials(USER, PASSWORD).basicHeader())
                .push("private/docker", "1", IMAGES.get("docker"));
    }

    @AfterAll
    static void stopRegistries() throws Exception {
        if (open != null) {
            open.close();
        }
        if (locked != null) {
            locked.close();
        }
    }

    private static String at(LocalRegistry registry, String repoAndReference) {
        return "docker://" + registry.hostPort() + "/" + repoAndReference;
    }

    private static JsonNode json(Cli.Result result) {
        return Json.MAPPER.readTree(result.stdout());
    }

    private static List<String> statuses(JsonNode report) {
        List<String> statuses = new ArrayList<>();
        report.get("Blobs").forEach(blob -> statuses.add(blob.get("Status").asString()));
        return statuses;
    }

    private static long blobBytes(TestImage image) {
        return image.config().bytes().length + image.layers().stream().mapToLong(l -> l.bytes().length).sum();
    }

    /** The digest of the manifest a reference names, as skopeo reads it: sha256 of its raw bytes. */
    private static Digest skopeoDigest(LocalRegistry registry, String repoAndReference) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo", "inspect", "--raw", "--tls-verify=false"));
        if (registry == locked) {
            command.addAll(List.of("--creds", CREDS));
        }
        command.add(at(registry, repoAndReference));
        String raw = External.check(command.toArray(String[]::new));
        return Digest.sha256(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static void skopeoCopy(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo", "copy", "-q", "--src-tls-verify=false",
                "--dest-tls-verify=false"));
        command.addAll(List.of(args));
        External.check(command.toArray(String[]::new));
    }

    /** The status of a manifest HEAD at the locked registry, with valid credentials. */
    private static int manifestStatus(String repository, String reference) throws Exception {
        Request head = new Request.Builder()
                .url("http://" + locked.hostPort() + "/v2/" + repository + "/manifests/" + reference)
                .header("Accept", String.join(",", MediaType.OCI_MANIFEST.value(), MediaType.OCI_INDEX.value(),
                        MediaType.DOCKER_MANIFEST.value(), MediaType.DOCKER_MANIFEST_LIST.value()))
                .header("Authorization", new Credentials(USER, PASSWORD).basicHeader())
                .head().build();
        try (Response response = HTTP.newCall(head).execute()) {
            return response.code();
        }
    }

    /** Pulls the image back from the locked registry and compares every blob with the fixture's bytes. */
    private void assertPulledBackBlobsMatch(String repoAndReference, TestImage image) throws Exception {
        Path layout = tmp.resolve("pulled-back");
        Cli.Result pull = Cli.run("pull", "-q", "--creds", CREDS, at(locked, repoAndReference), layout.toString());
        assertEquals(0, pull.exitCode(), pull.toString());
        LayoutAssertions.assertEveryReferencedBlobVerifies(layout);
        Set<String> expected = new HashSet<>(Set.of(image.digest().hex(), image.config().digest().hex()));
        image.layers().forEach(layer -> expected.add(layer.digest().hex()));
        assertEquals(expected, LayoutAssertions.blobFiles(layout));
        assertArrayEquals(image.manifest().bytes(), Files.readAllBytes(layout.resolve("blobs/sha256/" + image.digest().hex())));
        for (Blob layer : image.layers()) {
            assertArrayEquals(layer.bytes(), Files.readAllBytes(layout.resolve("blobs/sha256/" + layer.digest().hex())));
        }
    }

    /**
     * ferry's copy keeps every byte, so the same copy in skopeo is {@code --preserve-digests}: without
     * it skopeo gzips an uncompressed layer on its way to another registry (see the next test).
     */
    @ParameterizedTest
    @ValueSource(strings = {"docker", "mixed"})
    void anImageCopiedToAnotherRegistryKeepsItsDigestAsSkopeoDoesAndItsBlobsPullBackIntact(String name)
            throws Exception {
        TestImage image = IMAGES.get(name);
        Cli.Result copy = Cli.run("copy", "--format", "json", "--dest-creds", CREDS, at(open, "src/" + name + ":1"),
                at(locked, "across/" + name + ":1"));
        assertEquals(0, copy.exitCode(), copy.toString());
        JsonNode report = json(copy);
        assertEquals(image.digest().toString(), report.get("Digest").asString());
        assertEquals(image.manifest().mediaType(), report.get("MediaType").asString());
        assertEquals(Collections.nCopies(image.layers().size() + 1, "fetched"), statuses(report));
        assertEquals(blobBytes(image), report.get("BytesDownloaded").asLong());
        assertEquals(image.digest(), skopeoDigest(locked, "across/" + name + ":1"));

        skopeoCopy("--preserve-digests", "--dest-creds", CREDS, at(open, "src/" + name + ":1"),
                at(locked, "across-skopeo/" + name + ":1"));
        assertEquals(image.digest(), skopeoDigest(locked, "across-skopeo/" + name + ":1"));

        assertPulledBackBlobsMatch("across/" + name + ":1", image);
    }

    @Test
    void skopeoWithoutPreserveDigestsKeepsADockerImagesDigestButGzipsAnUncompressedLayer() throws Exception {
        TestImage docker = IMAGES.get("docker");
        skopeoCopy("--dest-creds", CREDS, at(open, "src/docker:1"), at(locked, "skopeo-default/docker:1"));
        assertEquals(docker.digest(), skopeoDigest(locked, "skopeo-default/docker:1"));

        TestImage mixed = IMAGES.get("mixed");
        skopeoCopy("--dest-creds", CREDS, at(open, "src/mixed:1"), at(locked, "skopeo-default/mixed:1"));
        assertNotEquals(mixed.digest(), skopeoDigest(locked, "skopeo-default/mixed:1"));
        String raw = External.check("skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", CREDS,
                at(locked, "skopeo-default/mixed:1"));
        JsonNode layers = Json.MAPPER.readTree(raw).get("layers");
        assertEquals(mixed.layers().get(0).digest().toString(), layers.get(0).get("digest").asString());
        assertEquals(mixed.layers().get(1).digest().toString(), layers.get(1).get("digest").asString(), "zstd kept");
        assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", layers.get(2).get("mediaType").asString());
    }

    @Test
    void withinOneRegistryEveryBlobIsMountedWithoutMovingBytesAndASecondCopySkipsEveryBlob() throws Exception {
        TestImage image = IMAGES.get("mixed");
        Cli.Result first = Cli.run("--debug", "copy", "--format", "json", at(open, "src/mixed:1"),
                at(open, "mounted/mixed:1"));
        assertEquals(0, first.exitCode(), first.toString());
        assertEquals(Collections.nCopies(4, "mounted"), statuses(json(first)));
        assertEquals(0, json(first).get("BytesDownloaded").asLong());
        List<String> blobTransfers = first.stderr().lines()
                .filter(line -> line.contains("GET ") && line.contains("/blobs/sha256:")
                        || line.contains("PATCH ") || line.contains("PUT ") && line.contains("/blobs/uploads/"))
                .toList();
        assertEquals(List.of(), blobTransfers, "no blob body is read or uploaded");
        assertEquals(4, first.stderr().lines().filter(line -> line.contains("POST ") && line.contains("?mount=sha256")
                && line.contains("-> 201")).count(), first.stderr());
        assertEquals(image.digest(), skopeoDigest(open, "mounted/mixed:1"));

        Cli.Result second = Cli.run("copy", "--format", "json", at(open, "src/mixed:1"), at(open, "mounted/mixed:1"));
        assertEquals(0, second.exitCode(), second.toString());
        assertEquals(Collections.nCopies(4, "present"), statuses(json(second)));
        assertEquals(0, json(second).get("BytesDownloaded").asLong());
        assertEquals(image.digest().toString(), json(second).get("Digest").asString());

        skopeoCopy(at(open, "src/mixed:1"), at(open, "mounted-skopeo/mixed:1"));
        assertEquals(image.digest(), skopeoDigest(open, "mounted-skopeo/mixed:1"));
    }

    @Test
    void allCopiesTheIndexUnderItsOwnDigestAndEveryPlatformsManifest() throws Exception {
        Path digestFile = tmp.resolve("ferry.digest");
        Cli.Result copy = Cli.run("copy", "--all", "--format", "json", "--digestfile", digestFile.toString(),
                "--dest-creds", CREDS, at(open, "src/multi:latest"), at(locked, "multi-all/app:latest"));
        assertEquals(0, copy.exitCode(), copy.toString());
        assertEquals(index.digest().toString(), json(copy).get("Digest").asString());
        assertEquals(index.digest(), skopeoDigest(locked, "multi-all/app:latest"));
        for (TestImage child : List.of(amd64, arm64)) {
            assertEquals(child.digest(), skopeoDigest(locked, "multi-all/app@" + child.digest()));
        }
        assertEquals(4, json(copy).get("Blobs").size(), "both configs and both layers");

        skopeoCopy("--all", "--digestfile", tmp.resolve("skopeo.digest").toString(), "--dest-creds", CREDS,
                at(open, "src/multi:latest"), at(locked, "multi-all-skopeo/app:latest"));
        assertEquals(index.digest(), skopeoDigest(locked, "multi-all-skopeo/app:latest"));
        assertEquals(index.digest().toString(), Files.readString(digestFile));
        assertEquals(Files.readString(tmp.resolve("skopeo.digest")), Files.readString(digestFile),
                "--digestfile holds what skopeo's holds");
    }

    @Test
    void withoutAllTheTagPointsAtTheSelectedPlatformsManifestUnderItsDigest() throws Exception {
        Path digestFile = tmp.resolve("ferry.digest");
        Cli.Result copy = Cli.run("copy", "--override-arch", "arm64", "--format", "json", "--digestfile",
                digestFile.toString(), "--dest-creds", CREDS, at(open, "src/multi:latest"),
                at(locked, "multi-one/app:latest"));
        assertEquals(0, copy.exitCode(), copy.toString());
        assertEquals(arm64.digest().toString(), json(copy).get("Digest").asString());
        assertEquals(arm64.digest(), skopeoDigest(locked, "multi-one/app:latest"));
        assertEquals(404, manifestStatus("multi-one/app", index.digest().toString()), "the index is not copied");
        assertEquals(404, manifestStatus("multi-one/app", amd64.digest().toString()), "nor another platform");

        External.check("skopeo", "--override-arch", "arm64", "copy", "-q", "--src-tls-verify=false",
                "--dest-tls-verify=false", "--digestfile", tmp.resolve("skopeo.digest").toString(), "--dest-creds",
                CREDS, at(open, "src/multi:latest"), at(locked, "multi-one-skopeo/app:latest"));
        assertEquals(arm64.digest(), skopeoDigest(locked, "multi-one-skopeo/app:latest"));
        assertEquals(arm64.digest().toString(), Files.readString(digestFile), "the platform manifest's digest");
        assertEquals(Files.readString(tmp.resolve("skopeo.digest")), Files.readString(digestFile),
                "--digestfile holds what skopeo's holds");
    }

    @Test
    void aLayoutPulledByFerryIsPushedUnderTheSourceDigestAsSkopeoPushesIt() throws Exception {
        TestImage image = IMAGES.get("mixed");
        Path layout = tmp.resolve("layout");
        Cli.Result pull = Cli.run("pull", "-q", at(open, "src/mixed:1"), layout.toString());
        assertEquals(0, pull.exitCode(), pull.toString());

        Cli.Result copy = Cli.run("copy", "--format", "json", "--dest-creds", CREDS, "oci:" + layout + ":1",
                at(locked, "from-layout/mixed:1"));
        assertEquals(0, copy.exitCode(), copy.toString());
        assertEquals(image.digest().toString(), json(copy).get("Digest").asString());
        assertEquals(Collections.nCopies(4, "fetched"), statuses(json(copy)));
        assertEquals(image.digest(), skopeoDigest(locked, "from-layout/mixed:1"));

        skopeoCopy("--preserve-digests", "--dest-creds", CREDS, "oci:" + layout + ":1",
                at(locked, "from-layout-skopeo/mixed:1"));
        assertEquals(image.digest(), skopeoDigest(locked, "from-layout-skopeo/mixed:1"));
    }

    @Test
    void copyIntoALayoutKeepsTheSourceDigestAndUmociUnpacksIt() throws Exception {
        TestImage image = IMAGES.get("unpackable");
        Path layout = tmp.resolve("layout");
        Cli.Result copy = Cli.run("copy", "-q", at(open, "src/unpackable:1"), "oci:" + layout + ":v1");
        assertEquals(0, copy.exitCode(), copy.toString());
        JsonNode entries = LayoutAssertions.index(layout).get("manifests");
        assertEquals(1, entries.size());
        assertEquals(image.digest().toString(), entries.get(0).get("digest").asString());
        assertEquals(MediaType.OCI_MANIFEST.value(), entries.get(0).get("mediaType").asString());
        assertEquals("v1", entries.get(0).get("annotations").get("org.opencontainers.image.ref.name").asString());
        LayoutAssertions.assertEveryReferencedBlobVerifies(layout);

        Path bundle = tmp.resolve("bundle");
        External.check("umoci", "unpack", "--rootless", "--image", layout + ":v1", bundle.toString());
        assertEquals("NAME=mixed\n", Files.readString(bundle.resolve("rootfs/etc/os-release")));
        assertEquals("an uncompressed layer", Files.readString(bundle.resolve("rootfs/app/main")));

        Path theirs = tmp.resolve("skopeo-layout");
        skopeoCopy("--dest-oci-accept-uncompressed-layers", at(open, "src/unpackable:1"), "oci:" + theirs + ":v1");
        assertEquals(image.digest().toString(),
                LayoutAssertions.index(theirs).get("manifests").get(0).get("digest").asString());
    }

    @Test
    void anArchiveFerryWritesIsReadBySkopeoAndTheReverseBothKeepingTheSourceDigest() throws Exception {
        TestImage image = IMAGES.get("mixed");
        Path ours = tmp.resolve("ferry.tar");
        Cli.Result write = Cli.run("copy", "-q", at(open, "src/mixed:1"), "oci-archive:" + ours + ":1");
        assertEquals(0, write.exitCode(), write.toString());
        try (var entries = Files.list(tmp)) {
            assertEquals(List.of("ferry.tar"), entries.map(p -> p.getFileName().toString()).toList(),
                    "no work directory stays beside the archive");
        }
        // To the open registry: skopeo remembers where it pushed blobs, and a push of the uncompressed
        // layer to the locked one would change what the test of skopeo's default copy there sees.
        skopeoCopy("--preserve-digests", "oci-archive:" + ours + ":1", at(open, "from-ferry-archive/mixed:1"));
        assertEquals(image.digest(), skopeoDigest(open, "from-ferry-archive/mixed:1"));

        Path theirs = tmp.resolve("skopeo.tar");
        skopeoCopy("--preserve-digests", at(open, "src/mixed:1"), "oci-archive:" + theirs + ":1");
        Cli.Result read = Cli.run("copy", "--format", "json", "--dest-creds", CREDS, "oci-archive:" + theirs + ":1",
                at(locked, "from-skopeo-archive/mixed:1"));
        assertEquals(0, read.exitCode(), read.toString());
        assertEquals(image.digest().toString(), json(read).get("Digest").asString());
        assertEquals(image.digest(), skopeoDigest(locked, "from-skopeo-archive/mixed:1"));
        assertTrue(read.stderr().contains("oci-archive:" + theirs + ":1") && !read.stderr().contains(".ferry-"),
                "messages name the archive, not its work directory: " + read.stderr());

        Cli.Result inspect = Cli.run("inspect", "-f", "{{.Digest}}", "oci-archive:" + theirs + ":1");
        assertEquals(image.digest() + "\n", inspect.stdout(), inspect.toString());
    }

    @Test
    void theSameImageAlwaysPacksIntoTheSameArchiveBytes() throws Exception {
        Path first = tmp.resolve("first.tar");
        Path second = tmp.resolve("second.tar");
        assertEquals(0, Cli.run("copy", "-q", at(open, "src/docker:1"), "oci-archive:" + first + ":1").exitCode());
        assertEquals(0, Cli.run("copy", "-q", at(open, "src/docker:1"), "oci-archive:" + second + ":1").exitCode());
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }

    /** An auth file holding the locked registry's credentials, as podman and docker write it. */
    private Path authFile(String name) throws Exception {
        String auth = java.util.Base64.getEncoder().encodeToString(CREDS.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path file = tmp.resolve(name);
        Files.writeString(file, "{\"auths\":{\"" + locked.hostPort() + "\":{\"auth\":\"" + auth + "\"}}}");
        return file;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--dest-authfile", "--authfile"})
    void theDestinationsCredentialsComeFromAnAuthFileNamedForItOrForBothSides(String option) throws Exception {
        Path file = authFile("auth-" + option.substring(2) + ".json");
        Cli.Result copy = Cli.run("copy", "-q", option, file.toString(), at(open, "src/docker:1"),
                at(locked, "authfile" + option.length() + "/docker:1"));
        assertEquals(0, copy.exitCode(), copy.toString());
        assertEquals(IMAGES.get("docker").digest(), skopeoDigest(locked, "authfile" + option.length() + "/docker:1"));
    }

    @Test
    void aWrongDestinationPasswordExitsWithFourOnOneLineAndPushesNothing() throws Exception {
        Cli.Result copy = Cli.run("copy", "-q", "--dest-creds", USER + ":wrong-Passw0rd", at(open, "src/mixed:1"),
                at(locked, "denied/mixed:1"));
        assertEquals(4, copy.exitCode(), copy.toString());
        List<String> lines = copy.stderr().strip().lines().toList();
        assertEquals(1, lines.size(), copy.stderr());
        assertTrue(lines.get(0).contains("(check --dest-creds,"), "the line names the option to fix: " + lines.get(0));
        assertFalse(copy.stderr().contains("wrong-Passw0rd"), copy.stderr());
        assertEquals("", copy.stdout());

        assertEquals(404, manifestStatus("denied/mixed", "1"));
        assertFalse(Files.exists(locked.dir().resolve("storage/docker/registry/v2/repositories/denied")),
                "not even an upload was started");
    }

    @Test
    void aWrongSourcePasswordExitsWithFourOnOneLineNamingSrcCreds() throws Exception {
        Cli.Result copy = Cli.run("copy", "-q", "--src-creds", USER + ":wrong-Passw0rd", "--dest-creds", CREDS,
                at(locked, "private/docker:1"), at(open, "from-private/docker:1"));
        assertEquals(4, copy.exitCode(), copy.toString());
        List<String> lines = copy.stderr().strip().lines().toList();
        assertEquals(1, lines.size(), copy.stderr());
        assertTrue(lines.get(0).contains("(check --src-creds,"), lines.get(0));
        assertFalse(copy.stderr().contains("wrong-Passw0rd"), copy.stderr());
    }

    @Test
    void withoutDestinationCredentialsTheOneLineAsksForDestCreds() throws Exception {
        Cli.Result copy = Cli.run("copy", "-q", at(open, "src/mixed:1"), at(locked, "anonymous/mixed:1"));
        assertEquals(4, copy.exitCode(), copy.toString());
        List<String> lines = copy.stderr().strip().lines().toList();
        assertEquals(1, lines.size(), copy.stderr());
        assertTrue(lines.get(0).contains("(check --dest-creds)"), lines.get(0));
        assertEquals(404, manifestStatus("anonymous/mixed", "1"));
    }

    static Descriptor bigLayer;
    static Blob bigManifest;

    /** src/big:1 at the open registry: one layer of 200 MiB of random bytes, uncompressed; pushed once. */
    private Blob bigImage() throws Exception {
        if (bigManifest != null) {
            return bigManifest;
        }
        Path tar = tmp.resolve("big.tar");
        Digest layerDigest = Layers.randomTar(7, 200L * 1024 * 1024, tar);
        long layerSize = Files.size(tar);
        TestPusher pusher = new TestPusher(open.hostPort());
        pusher.pushBlob("src/big", tar, layerDigest);
        Files.delete(tar);
        ObjectNode configJson = Json.MAPPER.createObjectNode().put("architecture", "amd64").put("os", "linux");
        configJson.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(layerDigest.toString());
        Blob config = new Blob(MediaType.OCI_CONFIG, Json.MAPPER.writeValueAsBytes(configJson));
        pusher.pushBlob("src/big", config);
        ObjectNode manifestJson = Json.MAPPER.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", MediaType.OCI_MANIFEST.value());
        manifestJson.putObject("config").put("mediaType", MediaType.OCI_CONFIG).put("digest", config.digest().toString())
                .put("size", config.bytes().length);
        manifestJson.putArray("layers").addObject().put("mediaType", LayerMediaTypes.OCI_TAR)
                .put("digest", layerDigest.toString()).put("size", layerSize);
        Blob manifest = new Blob(MediaType.OCI_MANIFEST.value(), Json.MAPPER.writeValueAsBytes(manifestJson));
        pusher.pushManifest("src/big", "1", manifest);
        bigLayer = new Descriptor(LayerMediaTypes.OCI_TAR, layerDigest, layerSize);
        bigManifest = manifest;
        return manifest;
    }

    @Test
    void anInterruptedCopyIntoAnArchiveLeavesNeitherArchiveNorWorkDirectoryAndARerunCompletes() throws Exception {
        Blob manifest = bigImage();
        Path archive = tmp.resolve("big.tar");
        Path stderr = tmp.resolve("archive.err");
        Process copy = FerryProcess.start(tmp.resolve("archive.out"), stderr, "copy", "-q", at(open, "src/big:1"),
                "oci-archive:" + archive + ":1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (partialBytesBeside(archive) < 16L * 1024 * 1024) {
            assertTrue(copy.isAlive(), "the copy ended before it could be interrupted: " + Files.readString(stderr));
            assertTrue(System.nanoTime() < deadline, "no partial bytes appeared");
            Thread.sleep(20);
        }
        copy.destroy(); // SIGTERM, as an interrupted CI job gets
        assertTrue(copy.waitFor(30, TimeUnit.SECONDS));
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".big.tar") || n.equals("big.tar")).toList());
        }

        Cli.Result rerun = Cli.run("copy", "-q", at(open, "src/big:1"), "oci-archive:" + archive + ":1");
        assertEquals(0, rerun.exitCode(), rerun.toString());
        String raw = External.check("skopeo", "inspect", "--raw", "oci-archive:" + archive + ":1");
        assertEquals(manifest.digest(), Digest.sha256(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        // inspect unpacks manifests and configs only, not the 200 MiB layer
        Cli.Result inspect = Cli.run("inspect", "-f", "{{.Digest}} {{index .Layers 0}}", "oci-archive:" + archive + ":1");
        assertEquals(manifest.digest() + " " + bigLayer.digest() + "\n", inspect.stdout(), inspect.toString());
    }

    /** The bytes of the partial files in the work directories beside {@code archive}. */
    private static long partialBytesBeside(Path archive) throws Exception {
        long total = 0;
        try (var dirs = Files.list(archive.getParent())) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("." + archive.getFileName() + ".ferry-"))
                    .toList()) {
                try (var files = Files.walk(dir)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        try {
                            total += Files.size(f);
                        } catch (java.nio.file.NoSuchFileException e) {
                            // renamed meanwhile
                        }
                    }
                } catch (java.io.UncheckedIOException e) {
                    // a file went meanwhile
                }
            }
        }
        return total;
    }

    @Test
    void aCopyKilledWhileUploadingALargeLayerLeavesNoTagAndARerunCompletesWithTheSourceDigest() throws Exception {
        Blob manifest = bigImage();
        Digest layerDigest = bigLayer.digest();
        long layerSize = bigLayer.size();

        Path uploads = locked.dir().resolve("storage/docker/registry/v2/repositories/killed/big/_uploads");
        Path stderr = tmp.resolve("killed.err");
        Process copy = FerryProcess.start(tmp.resolve("killed.out"), stderr, "copy", "-q", "--dest-creds", CREDS,
                at(open, "src/big:1"), at(locked, "killed/big:1"));
        long received = awaitUploadedBytes(uploads, 16L * 1024 * 1024, copy, stderr);
        copy.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertTrue(received < layerSize, "killed mid-way: " + received + " of " + layerSize + " bytes had arrived");
        assertEquals(404, manifestStatus("killed/big", "1"), "a killed copy leaves no tag");
        assertEquals(404, manifestStatus("killed/big", manifest.digest().toString()), "nor the manifest");

        Cli.Result rerun = Cli.run("copy", "--format", "json", "--dest-creds", CREDS, at(open, "src/big:1"),
                at(locked, "killed/big:1"));
        assertEquals(0, rerun.exitCode(), rerun.toString());
        assertEquals(manifest.digest().toString(), json(rerun).get("Digest").asString());
        JsonNode big = json(rerun).get("Blobs").get(0);
        assertEquals(layerDigest.toString(), big.get("Digest").asString(), "the largest blob comes first");
        assertEquals("fetched", big.get("Status").asString(), "an upload that was cut off starts again");
        assertEquals(manifest.digest(), skopeoDigest(locked, "killed/big:1"));

        skopeoCopy("--preserve-digests", "--dest-creds", CREDS, at(open, "src/big:1"), at(locked, "killed-skopeo/big:1"));
        assertEquals(manifest.digest(), skopeoDigest(locked, "killed-skopeo/big:1"));
    }

    /**
     * Waits until the registry has received at least {@code bytes} of an upload into the directory
     * while the copy still runs; returns how many it had.
     */
    private static long awaitUploadedBytes(Path uploads, long bytes, Process copy, Path stderr) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            long received = 0;
            try (var sessions = Files.list(uploads)) {
                for (Path session : sessions.toList()) {
                    received = Math.max(received, Files.size(session.resolve("data")));
                }
            } catch (NoSuchFileException notYet) {
                // no upload session yet, or one that just ended
            }
            if (!copy.isAlive()) {
                fail("the copy ended (exit " + copy.exitValue() + ") before " + bytes + " bytes were uploaded: "
                        + Files.readString(stderr));
            }
            if (received >= bytes) {
                return received;
            }
            Thread.sleep(5);
        }
        copy.destroyForcibly();
        return fail("the upload did not reach " + bytes + " bytes within a minute");
    }
}
