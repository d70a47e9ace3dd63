package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.json.Json;
import dev.ferry.manifest.MediaType;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.External;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class InspectAgainstRealRegistryTest {

    static LocalRegistry registry;
    static TestImage single;
    static TestImage docker;
    static Blob index;
    static TestImage amd64;
    static TestImage arm64;

    @BeforeAll
    static void pushFixtures() throws Exception {
        registry = LocalRegistry.start();
        TestPusher pusher = new TestPusher(registry.hostPort());
        single = TestImage.builder().label("org.example.team", "platform")
                .layer(Map.of("bin/app", "app v1")).layer(Map.of("etc/app.conf", "x=1")).build();
        pusher.push("apps/single", "1.0", single);
        pusher.pushManifest("apps/single", "latest", single.manifest());
        docker = TestImage.builder().docker().layer(Map.of("a", "docker layer")).build();
        pusher.push("apps/docker", "v2", docker);
        amd64 = TestImage.builder().platform("linux", "amd64", null).build();
        arm64 = TestImage.builder().platform("linux", "arm64", "v8").build();
        pusher.push("apps/multi", amd64.digest().toString(), amd64);
        pusher.push("apps/multi", arm64.digest().toString(), arm64);
        Map<String, TestImage> platforms = new LinkedHashMap<>();
        platforms.put("linux/amd64", amd64);
        platforms.put("linux/arm64/v8", arm64);
        index = TestImage.index(MediaType.OCI_INDEX, platforms);
        pusher.pushManifest("apps/multi", "latest", index);
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    private String ref(String repoAndTag) {
        return "docker://" + registry.hostPort() + "/" + repoAndTag;
    }

    private static JsonNode json(String text) {
        return Json.MAPPER.readTree(text);
    }

    private static String skopeo(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(args));
        External.Output output = External.run(Duration.ofSeconds(60), command.toArray(String[]::new));
        assertEquals(0, output.exitCode(), "skopeo failed: " + output.stderr());
        return output.stdout();
    }

    @Test
    void inspectAgreesWithSkopeoOnAnOciImage() throws Exception {
        Cli.Result ferry = Cli.run("inspect", ref("apps/single:1.0"));
        assertEquals(0, ferry.exitCode(), ferry.toString());
        JsonNode ours = json(ferry.stdout());
        JsonNode theirs = json(skopeo("inspect", "--tls-verify=false", ref("apps/single:1.0")));
        for (String field : List.of("Name", "Digest", "RepoTags", "Created", "DockerVersion", "Labels", "Architecture",
                "Os", "Layers", "Env")) {
            assertEquals(theirs.get(field), ours.get(field), field);
        }
        assertEquals(single.config().digest().toString(), ours.get("ImageID").asString());
        assertEquals(single.diffIds().get(1).toString(), ours.get("LayersData").get(1).get("DiffID").asString());
    }

    /** Templates in the part of Go's text/template both understand (skopeo 1.9 has no json function). */
    @ParameterizedTest
    @ValueSource(strings = {
        "{{.Digest}}",
        "{{.Name}} {{.Os}}/{{.Architecture}}",
        "{{range .RepoTags}}{{.}},{{end}}",
        "{{index .Labels \"org.example.team\"}}|{{index .Labels \"absent\"}}|{{.Labels.absent}}",
        "{{len .Layers}} {{.Layers}}",
        "{{if .Labels}}labelled{{else}}bare{{end}} {{with .Env}}{{index . 0}}{{end}}",
        "{{printf \"%.19s|%5s|%-4d|%q\" .Digest .Os 7 .Architecture}}",
        "{{- range .Layers }}\n  {{ . }}{{ end }}",
        "{{.Labels}} {{.Created}}",
    })
    void formatPrintsWhatSkopeosFormatPrints(String template) throws Exception {
        for (String image : List.of("apps/single:1.0", "apps/docker:v2")) {
            Cli.Result ferry = Cli.run("inspect", "--format", template, ref(image));
            assertEquals(0, ferry.exitCode(), ferry.toString());
            assertEquals(skopeo("inspect", "--tls-verify=false", "--format", template, ref(image)), ferry.stdout(),
                    image);
        }
    }

    /** skopeo 1.9 prints nothing here: its tab writer is never flushed. */
    @Test
    void formatTurnsAWrittenBackslashTIntoATab() {
        Cli.Result ferry = Cli.run("inspect", "--format", "{{.Os}}\\t{{.Architecture}}", ref("apps/single:1.0"));
        assertEquals(0, ferry.exitCode(), ferry.toString());
        assertEquals("linux\tamd64\n", ferry.stdout());
    }

    @Test
    void formatNamesAFieldTheOutputLacksAndPrintsNothing() {
        Cli.Result ferry = Cli.run("inspect", "--format", "{{.Digest}} {{.Nope}}", ref("apps/single:1.0"));
        assertEquals(2, ferry.exitCode(), ferry.toString());
        assertTrue(ferry.stderr().contains("no field Nope"), ferry.stderr());
        assertEquals("", ferry.stdout());
    }

    @Test
    void inspectAgreesWithSkopeoOnADockerSchema2Image() throws Exception {
        Cli.Result ferry = Cli.run("inspect", ref("apps/docker:v2"));
        assertEquals(0, ferry.exitCode(), ferry.toString());
        JsonNode ours = json(ferry.stdout());
        JsonNode theirs = json(skopeo("inspect", "--tls-verify=false", ref("apps/docker:v2")));
        for (String field : List.of("Name", "Digest", "RepoTags", "Created", "Architecture", "Os", "Layers", "Env")) {
            assertEquals(theirs.get(field), ours.get(field), field);
        }
        assertEquals(docker.digest().toString(), ours.get("Digest").asString());
    }

    @Test
    void inspectOfAMultiPlatformTagListsEveryPlatformAndKeepsTheIndexDigest() throws Exception {
        Cli.Result ferry = Cli.run("inspect", "--override-arch", "arm64", ref("apps/multi:latest"));
        assertEquals(0, ferry.exitCode(), ferry.toString());
        JsonNode ours = json(ferry.stdout());
        JsonNode theirs = json(skopeo("inspect", "--tls-verify=false", "--override-arch", "arm64", ref("apps/multi:latest")));
        for (String field : List.of("Name", "Digest", "Architecture", "Os", "Layers")) {
            assertEquals(theirs.get(field), ours.get(field), field);
        }
        assertEquals(index.digest().toString(), ours.get("Digest").asString());
        assertEquals(arm64.config().digest().toString(), ours.get("ImageID").asString());
        JsonNode platforms = ours.get("Platforms");
        assertEquals(2, platforms.size());
        assertEquals(amd64.digest().toString(), platforms.get(0).get("Digest").asString());
        assertEquals(amd64.config().digest().toString(), platforms.get(0).get("ImageID").asString());
        assertEquals("v8", platforms.get(1).get("Variant").asString());
    }

    @Test
    void rawPrintsTheManifestBytesExactlyAsServed() {
        Cli.Result ferry = Cli.run("inspect", "--raw", ref("apps/multi:latest"));
        assertEquals(0, ferry.exitCode(), ferry.toString());
        assertArrayEquals(index.bytes(), ferry.stdoutBytes());
    }

    @Test
    void configPrintsTheConfigBytesThatHashToTheImageId() {
        Cli.Result ferry = Cli.run("inspect", "--config", "--override-arch", "amd64", ref("apps/multi:latest"));
        assertEquals(0, ferry.exitCode(), ferry.toString());
        assertArrayEquals(amd64.config().bytes(), ferry.stdoutBytes());
    }

    @Test
    void configWithRawPrintsTheSameBytesAsSkopeosConfigRaw() throws Exception {
        Cli.Result ferry = Cli.run("inspect", "--config", "--raw", "-n", ref("apps/single:1.0"));
        assertEquals(0, ferry.exitCode(), ferry.toString());
        assertArrayEquals(single.config().bytes(), ferry.stdoutBytes());
        assertEquals(skopeo("inspect", "--tls-verify=false", "--config", "--raw", ref("apps/single:1.0")),
                ferry.stdout());
    }

    @Test
    void listTagsPrintsSkopeosShape() throws Exception {
        Cli.Result ferry = Cli.run("list-tags", "docker://" + registry.hostPort() + "/apps/single");
        assertEquals(0, ferry.exitCode(), ferry.toString());
        JsonNode theirs = json(skopeo("list-tags", "--tls-verify=false", "docker://" + registry.hostPort() + "/apps/single"));
        JsonNode ours = json(ferry.stdout());
        assertEquals(theirs.get("Repository"), ours.get("Repository"));
        assertEquals(java.util.Set.of("1.0", "latest"), new java.util.HashSet<>(Json.MAPPER.convertValue(ours.get("Tags"), List.class)));
    }

    @Test
    void aLoopbackRegistryWithAnUntrustedCertificateIsANetworkFailureThatSuggestsTlsVerifyFalse() throws Exception {
        try (LocalRegistry tls = LocalRegistry.start("--tls")) {
            String ref = "docker://" + tls.hostPort() + "/apps/none:1";

            Cli.Result verified = Cli.run("inspect", ref);
            assertEquals(6, verified.exitCode(), verified.toString());
            assertTrue(verified.stderr().contains("--tls-verify=false"), verified.stderr());

            Cli.Result unverified = Cli.run("inspect", "--tls-verify=false", ref);
            assertEquals(3, unverified.exitCode(), "reached, and the image is not there: " + unverified);
        }
    }
}
