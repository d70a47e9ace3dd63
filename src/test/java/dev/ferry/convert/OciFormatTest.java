package dev.ferry.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Digest;
import dev.ferry.json.Json;
import dev.ferry.testing.Cli;
import dev.ferry.testing.CraftedDockerArchive;
import dev.ferry.testing.TestImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** --format oci: Docker manifests converted to OCI media types; without it, a note naming the option. */
class OciFormatTest {

    @TempDir
    Path tmp;

    Path archive() throws IOException {
        TestImage image = TestImage.builder().docker().layer(Map.of("a", "1")).build();
        return CraftedDockerArchive.docker24(image, "app:1").write(tmp.resolve("a.tar"));
    }

    @Test
    void aDockerImageCopiedWithFormatOciHasOciMediaTypesAndTheSummarySaysItsDigestChanged() throws IOException {
        Path layout = tmp.resolve("oci");
        Cli.Result copy = Cli.run("copy", "--format", "oci", "--format", "json", "docker-archive:" + archive(),
                "oci:" + layout + ":1");
        assertEquals(0, copy.exitCode(), copy.toString());
        assertTrue(copy.stderr().contains("converted to OCI media types: the manifest's digest is now"), copy.stderr());
        JsonNode summary = Json.MAPPER.readTree(copy.stdout());
        assertTrue(summary.toString().contains("sha256:"), summary.toString());
        Cli.Result raw = Cli.run("inspect", "--raw", "oci:" + layout + ":1");
        JsonNode manifest = Json.MAPPER.readTree(raw.stdoutBytes());
        assertEquals("application/vnd.oci.image.manifest.v1+json", manifest.get("mediaType").asString());
        assertEquals("application/vnd.oci.image.config.v1+json", manifest.get("config").get("mediaType").asString());
        assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", manifest.get("layers").get(0).get("mediaType").asString());
        Cli.Result docker = Cli.run("copy", "docker-archive:" + archive(), "oci:" + tmp.resolve("plain") + ":1");
        assertNotEquals(Digest.sha256(raw.stdoutBytes()), Digest.sha256(Cli.run("inspect", "--raw",
                "oci:" + tmp.resolve("plain") + ":1").stdoutBytes()));
        assertTrue(docker.stderr().contains("skopeo and umoci skip Docker-typed entries of an OCI layout: --format oci"),
                docker.stderr());
        assertTrue(Files.exists(layout.resolve("index.json")));
    }

    @Test
    void v2s2IsRefusedWithItsReason() throws IOException {
        Cli.Result copy = Cli.run("copy", "--format", "v2s2", "docker-archive:" + archive(), "oci:" + tmp.resolve("x"));
        assertEquals(2, copy.exitCode(), copy.toString());
        assertTrue(copy.stderr().contains("ferry converts only to oci"), copy.stderr());
    }
}
