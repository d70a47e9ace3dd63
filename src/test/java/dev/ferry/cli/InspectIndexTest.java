package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ferry.json.Json;
import dev.ferry.manifest.MediaType;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** inspect of a multi-platform tag served by the fake, with its token auth on. */
class InspectIndexTest {

    final TestImage amd64 = TestImage.builder().platform("linux", "amd64", null).build();
    final TestImage arm64 = TestImage.builder().platform("linux", "arm64", "v8").build();
    final TestImage armV7 = TestImage.builder().docker().platform("linux", "arm", "v7").build();
    Blob index;
    FakeRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.tokenIssuer = registry;
        Map<String, TestImage> platforms = new LinkedHashMap<>();
        platforms.put("linux/amd64", amd64);
        platforms.put("linux/arm64/v8", arm64);
        platforms.put("linux/arm/v7", armV7);
        index = TestImage.index(MediaType.OCI_INDEX, platforms);
        for (TestImage image : platforms.values()) {
            registry.put("apps/multi", image.digest().toString(), image);
        }
        registry.putManifest("apps/multi", "2.0", index);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void inspectListsEveryPlatformWithItsManifestDigestAndImageId() {
        Cli.Result result = Cli.run("inspect", "--override-arch", "arm64", registry.ref("apps/multi:2.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        JsonNode inspected = Json.MAPPER.readTree(result.stdout());
        assertEquals(index.digest().toString(), inspected.get("Digest").asString());
        assertEquals(arm64.config().digest().toString(), inspected.get("ImageID").asString());
        assertEquals(List.of("2.0"), Json.MAPPER.convertValue(inspected.get("RepoTags"), List.class));
        JsonNode platforms = inspected.get("Platforms");
        assertEquals(3, platforms.size(), platforms.toString());
        List<TestImage> expected = List.of(amd64, arm64, armV7);
        List<String> architectures = List.of("amd64", "arm64", "arm");
        for (int i = 0; i < expected.size(); i++) {
            JsonNode platform = platforms.get(i);
            assertEquals("linux", platform.get("Os").asString());
            assertEquals(architectures.get(i), platform.get("Architecture").asString());
            assertEquals(expected.get(i).digest().toString(), platform.get("Digest").asString());
            assertEquals(expected.get(i).manifest().mediaType(), platform.get("MediaType").asString());
            assertEquals(expected.get(i).config().digest().toString(), platform.get("ImageID").asString());
        }
        assertFalse(platforms.get(0).has("Variant"));
        assertEquals("v7", platforms.get(2).get("Variant").asString());
        assertEquals(1, registry.count("/token"), "one token for the whole inspection");
    }

    @Test
    void rawPrintsTheIndexBytesExactlyAsServed() {
        Cli.Result result = Cli.run("inspect", "--raw", registry.ref("apps/multi:2.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertArrayEquals(index.bytes(), result.stdoutBytes());
        assertEquals(0, registry.count("/v2/apps/multi/manifests/" + amd64.digest()), "--raw reads nothing but the index");
    }

    @Test
    void configPrintsThePlatformsConfigBytesExactly() {
        Cli.Result result = Cli.run("inspect", "--config", "--override-arch", "arm", "--override-variant", "v7",
                registry.ref("apps/multi:2.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertArrayEquals(armV7.config().bytes(), result.stdoutBytes());
    }
}
