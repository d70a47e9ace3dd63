package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.json.Json;
import dev.ferry.manifest.MediaType;
import dev.ferry.testing.Cli;
import dev.ferry.testing.External;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** pull --format oci of Docker-typed images, read by skopeo and umoci, which skip Docker-typed entries. */
@Timeout(300)
class OciFormatAgainstPeersTest {

    static LocalRegistry registry;
    static TestImage amd64;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalRegistry.start();
        TestPusher pusher = new TestPusher(registry.hostPort());
        amd64 = TestImage.builder().docker().platform("linux", "amd64", null).layer(Map.of("etc/arch", "amd64")).build();
        TestImage arm64 = TestImage.builder().docker().platform("linux", "arm64", "v8").layer(Map.of("etc/arch", "arm64"))
                .build();
        pusher.push("fmt/multi", "amd64", amd64);
        pusher.push("fmt/multi", "arm64", arm64);
        Map<String, TestImage> platforms = new LinkedHashMap<>();
        platforms.put("linux/amd64", amd64);
        platforms.put("linux/arm64/v8", arm64);
        pusher.pushManifest("fmt/multi", "latest", TestImage.index(MediaType.DOCKER_MANIFEST_LIST, platforms));
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    @Test
    void aDockerManifestListPulledWithFormatOciIsReadBySkopeo() throws Exception {
        Path layout = tmp.resolve("all");
        Cli.Result pull = Cli.run("pull", "-q", "--all", "--format", "oci",
                "docker://" + registry.hostPort() + "/fmt/multi:latest", layout.toString());
        assertEquals(0, pull.exitCode(), pull.toString());
        assertTrue(pull.stderr().contains("converted to OCI media types"), pull.stderr());
        JsonNode inspect = Json.MAPPER.readTree(External.check("skopeo", "inspect", "--override-arch", "amd64",
                "--override-os", "linux", "oci:" + layout + ":latest"));
        assertEquals("amd64", inspect.get("Architecture").asString());
        String raw = External.check("skopeo", "inspect", "--raw", "oci:" + layout + ":latest");
        assertEquals(MediaType.OCI_INDEX.value(), Json.MAPPER.readTree(raw).get("mediaType").asString());
    }

    @Test
    void aDockerImagePulledWithFormatOciIsUnpackedByUmoci() throws Exception {
        Path layout = tmp.resolve("one");
        Cli.Result pull = Cli.run("pull", "-q", "--format", "oci", "docker://" + registry.hostPort() + "/fmt/multi:amd64",
                layout.toString());
        assertEquals(0, pull.exitCode(), pull.toString());
        Path bundle = tmp.resolve("bundle");
        External.check("umoci", "unpack", "--rootless", "--image", layout + ":amd64", bundle.toString());
        assertEquals("amd64", Files.readString(bundle.resolve("rootfs/etc/arch")));
    }

    @Test
    void historyReadsEveryPlatformOfARegistryImageWithoutPullingIt() throws Exception {
        Cli.Result history = Cli.run("history", "--all-platforms", "--sizes", "--format", "json",
                "docker://" + registry.hostPort() + "/fmt/multi:latest");
        assertEquals(0, history.exitCode(), history.toString());
        String[] rows = history.stdout().strip().split("\n");
        assertEquals(4, rows.length, history.stdout());
        JsonNode top = Json.MAPPER.readTree(rows[0]);
        assertEquals(amd64.config().digest().toString(), top.get("ID").asString());
        assertTrue(top.get("Platform").asString().contains("amd64"), rows[0]);
        JsonNode layer = Json.MAPPER.readTree(rows[1]);
        assertEquals("files", layer.get("SizeKind").asString());
        assertEquals(5, layer.get("SizeBytes").asLong(), rows[1]);
    }
}
