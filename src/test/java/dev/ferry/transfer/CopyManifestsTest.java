package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.cli.ExitCodes;
import dev.ferry.digest.Digest;
import dev.ferry.json.Json;
import dev.ferry.manifest.MediaType;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.FakeRegistry.PushedManifest;
import dev.ferry.testing.TestImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which manifests a copy pushes, in which order, and as which bytes: the source's exact bytes with
 * their own Content-Type (so the destination's digest is the source's), the platforms of an index
 * by digest before the index, and without {@code --all} the selected platform's manifest alone.
 */
@org.junit.jupiter.api.Timeout(60)
class CopyManifestsTest {

    static final String SOURCE = "apps/src";
    static final String TARGET = "apps/dst";

    FakeRegistry source;
    FakeRegistry destination;

    @BeforeEach
    void start() throws Exception {
        source = FakeRegistry.start();
        destination = FakeRegistry.start();
    }

    @AfterEach
    void stop() {
        destination.close();
        source.close();
    }

    Cli.Result copy(String... options) {
        List<String> args = new ArrayList<>(List.of("copy", "-q", "--format", "json"));
        args.addAll(List.of(options));
        args.add(source.ref(SOURCE + ":1.0"));
        args.add(destination.ref(TARGET + ":2.0"));
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        return result;
    }

    static String digestIn(Cli.Result result) {
        return Json.MAPPER.readTree(result.stdout()).get("Digest").asString();
    }

    static void assertPushed(String reference, Blob manifest, PushedManifest pushed) {
        assertEquals(reference, pushed.reference());
        assertEquals(manifest.mediaType(), pushed.contentType(), "Content-Type of " + reference);
        assertArrayEquals(manifest.bytes(), pushed.bytes(), "bytes of " + reference);
    }

    /**
     * The image's manifest as a hand-written file might be: keys in another order, tabs, CRLF, spaces
     * around colons, and blank lines at the end. Any re-serialisation would change its digest.
     */
    static Blob oddlyFormatted(TestImage image) {
        Blob layer = image.layers().getFirst();
        String json = "{ \"schemaVersion\" :2,\r\n\t\"layers\" : [ {\"size\": " + layer.bytes().length
                + ", \"digest\":\"" + layer.digest() + "\",\n\t\t\"mediaType\" : \"" + layer.mediaType() + "\"} ],\n"
                + "  \"mediaType\":\"" + image.manifest().mediaType() + "\" ,\n"
                + "\"config\":{\"mediaType\":\"" + image.config().mediaType() + "\",\"digest\":\""
                + image.config().digest() + "\",\"size\":" + image.config().bytes().length + "}   }\n\n";
        return new Blob(image.manifest().mediaType(), json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(value = MediaType.class, names = {"OCI_MANIFEST", "DOCKER_MANIFEST"})
    void aManifestIsPushedAsTheSourcesExactBytesWithItsMediaType(MediaType type) {
        TestImage.Builder builder = TestImage.builder();
        TestImage image = (type == MediaType.DOCKER_MANIFEST ? builder.docker() : builder).build();
        Blob odd = oddlyFormatted(image);
        source.putBlob(SOURCE, image.config()).putBlob(SOURCE, image.layers().getFirst())
                .putManifest(SOURCE, "1.0", odd);

        Cli.Result result = copy();

        List<PushedManifest> pushed = destination.pushedManifests();
        assertEquals(1, pushed.size());
        assertPushed("2.0", odd, pushed.getFirst());
        assertEquals(Digest.sha256(odd.bytes()).toString(), digestIn(result));
    }

    /** An index and the images it names, by platform. */
    record MultiPlatform(Blob index, Map<String, TestImage> platforms) {
    }

    /** An index over two platforms under the source tag, each image in the source repository under its digest. */
    MultiPlatform multiPlatform(MediaType type) {
        boolean docker = type == MediaType.DOCKER_MANIFEST_LIST;
        Map<String, TestImage> platforms = new LinkedHashMap<>();
        for (String platform : List.of("linux/amd64", "linux/arm64/v8")) {
            String[] parts = platform.split("/");
            TestImage.Builder builder = TestImage.builder().platform(parts[0], parts[1], parts.length > 2 ? parts[2] : null)
                    .layer(Map.of("etc/arch", platform + "\n"));
            platforms.put(platform, (docker ? builder.docker() : builder).build());
        }
        platforms.values().forEach(image -> source.put(SOURCE, image.digest().toString(), image));
        Blob index = TestImage.index(type, platforms);
        source.putManifest(SOURCE, "1.0", index);
        return new MultiPlatform(index, platforms);
    }

    @ParameterizedTest
    @EnumSource(value = MediaType.class, names = {"OCI_INDEX", "DOCKER_MANIFEST_LIST"})
    void withAllEveryPlatformIsPushedByDigestBeforeTheIndexUnderTheTag(MediaType type) {
        MultiPlatform multi = multiPlatform(type);
        Map<String, TestImage> platforms = multi.platforms();

        Cli.Result result = copy("--all");

        List<PushedManifest> pushed = destination.pushedManifests();
        assertEquals(3, pushed.size(), pushed.toString());
        Map<String, PushedManifest> children = new LinkedHashMap<>();
        pushed.subList(0, 2).forEach(p -> children.put(p.reference(), p));
        assertEquals(Set.of(platforms.get("linux/amd64").digest().toString(),
                platforms.get("linux/arm64/v8").digest().toString()), children.keySet());
        for (TestImage image : platforms.values()) {
            assertPushed(image.digest().toString(), image.manifest(), children.get(image.digest().toString()));
        }
        assertPushed("2.0", multi.index(), pushed.getLast());
        assertEquals(multi.index().digest().toString(), digestIn(result));
    }

    @ParameterizedTest
    @EnumSource(value = MediaType.class, names = {"OCI_INDEX", "DOCKER_MANIFEST_LIST"})
    void withoutAllOnlyTheSelectedPlatformsManifestIsPushedUnderTheTag(MediaType type) {
        MultiPlatform multi = multiPlatform(type);
        TestImage arm64 = multi.platforms().get("linux/arm64/v8");

        Cli.Result result = copy("--override-os", "linux", "--override-arch", "arm64");

        List<PushedManifest> pushed = destination.pushedManifests();
        assertEquals(1, pushed.size(), pushed.toString());
        assertPushed("2.0", arm64.manifest(), pushed.getFirst());
        assertEquals(arm64.digest().toString(), digestIn(result));
        assertNull(destination.manifest(TARGET, multi.index().digest().toString()), "the index stays behind");
        assertNull(destination.manifest(TARGET, multi.platforms().get("linux/amd64").digest().toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-a", "--multi-arch=all"})
    void skopeosOtherSpellingsOfAllPushTheIndexAndEveryPlatform(String option) {
        MultiPlatform multi = multiPlatform(MediaType.OCI_INDEX);

        Cli.Result result = copy(option);

        assertEquals(3, destination.pushedManifests().size(), destination.pushedManifests().toString());
        assertPushed("2.0", multi.index(), destination.pushedManifests().getLast());
        assertEquals(multi.index().digest().toString(), digestIn(result));
    }

    @Test
    void multiArchSystemPushesTheSelectedPlatformsManifestOnly() {
        MultiPlatform multi = multiPlatform(MediaType.OCI_INDEX);
        TestImage arm64 = multi.platforms().get("linux/arm64/v8");

        Cli.Result result = copy("--multi-arch", "system", "--override-arch", "arm64", "--preserve-digests");

        assertEquals(1, destination.pushedManifests().size(), destination.pushedManifests().toString());
        assertEquals(arm64.digest().toString(), digestIn(result));
    }

    @Test
    void aDestinationRegistryTokenIsSentWithEveryPushAndTheTokenServiceIsNotAsked() throws Exception {
        TestImage image = TestImage.builder().layer(Map.of("token.txt", "pushed with a given token")).build();
        source.put(SOURCE, "1.0", image);
        destination.tokenIssuer = destination;
        String token;
        okhttp3.Request ask = new okhttp3.Request.Builder().url(destination.url("/token").newBuilder()
                .addQueryParameter("scope", "repository:" + TARGET + ":pull,push").build()).build();
        try (okhttp3.Response response = new okhttp3.OkHttpClient().newCall(ask).execute()) {
            token = dev.ferry.json.Json.MAPPER.readTree(response.body().string()).get("token").asString();
        }
        int asked = destination.count("/token");

        Cli.Result result = copy("--dest-registry-token", token);

        assertEquals(image.digest().toString(), digestIn(result));
        assertEquals(asked, destination.count("/token"), "the destination's token service is not asked");
        assertPushed("2.0", image.manifest(), destination.pushedManifests().getLast());
    }
}
