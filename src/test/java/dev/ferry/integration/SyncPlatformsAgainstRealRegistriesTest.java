package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.json.Json;
import dev.ferry.manifest.MediaType;
import dev.ferry.testing.Blob;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code platforms: [...]} does what regsync does: the index is copied as it is, its digest kept,
 * with only the listed platforms' manifests and blobs (a sparse index). A registry that checks an
 * index's entries (Distribution 2.x) refuses such an index; a layout keeps it.
 */
class SyncPlatformsAgainstRealRegistriesTest {

    static LocalRegistry source;
    static LocalRegistry target;
    static Map<String, TestImage> images = new LinkedHashMap<>();
    static Blob index;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        source = LocalRegistry.start();
        target = LocalRegistry.start();
        TestPusher pusher = new TestPusher(source.hostPort());
        for (String platform : List.of("linux/amd64", "linux/arm64", "linux/s390x")) {
            String[] parts = platform.split("/");
            TestImage image = TestImage.builder().platform(parts[0], parts[1], null).layer(Map.of("arch", platform)).build();
            images.put(platform, image);
            pusher.push("multi/app", platform.replace('/', '-'), image);
        }
        index = TestImage.index(MediaType.OCI_INDEX, images);
        pusher.pushManifest("multi/app", "1", index);
    }

    @AfterAll
    static void stop() throws Exception {
        source.close();
        target.close();
    }

    Path config(String entry) throws Exception {
        Path file = dir.resolve("sync-" + System.nanoTime() + ".yaml");
        Files.writeString(file, """
                creds:
                  - {registry: "%s", tls: disabled}
                  - {registry: "%s", tls: disabled}
                sync:
                """.formatted(source.hostPort(), target.hostPort()) + entry);
        return file;
    }

    @Test
    void aLayoutTargetGetsTheIndexAsItIsWithOnlyTheListedPlatformsAndASecondRunIsUpToDate() throws Exception {
        Path layout = dir.resolve("layout");
        Path file = config("""
                  - {source: "%s/multi/app:1", target: "oci:%s", platforms: [linux/amd64, linux/arm64]}
                """.formatted(source.hostPort(), layout));
        var first = FerryProcess.run(dir, "sync", "--format", "json", file.toString());
        assertEquals(0, first.exitCode(), first.toString());
        JsonNode entry = LayoutAssertions.index(layout).path("manifests").get(0);
        assertEquals(index.digest().toString(), entry.path("digest").asString(), "the index's digest is kept");
        Set<String> blobs = LayoutAssertions.blobFiles(layout);
        for (String platform : List.of("linux/amd64", "linux/arm64")) {
            TestImage image = images.get(platform);
            assertTrue(blobs.contains(image.digest().hex()), platform + "'s manifest is there");
            assertTrue(blobs.contains(image.layers().get(0).digest().hex()), platform + "'s layer is there");
        }
        TestImage left = images.get("linux/s390x");
        assertFalse(blobs.contains(left.digest().hex()), "s390x's manifest is left out");
        assertFalse(blobs.contains(left.layers().get(0).digest().hex()), "s390x's layer is left out");
        assertFalse(blobs.contains(left.config().digest().hex()), "s390x's config is left out");

        var second = FerryProcess.run(dir, "sync", "--format", "json", file.toString());
        assertEquals(0, second.exitCode(), second.toString());
        JsonNode line = Json.MAPPER.readTree(second.stdout().lines().findFirst().orElseThrow());
        assertEquals("up-to-date", line.path("status").asString(), line.toString());
    }

    @Test
    void aRegistryThatChecksIndexEntriesRefusesTheSparseIndexAndTheImageIsReportedFailed() throws Exception {
        Path file = config("""
                  - {source: "%1$s/multi/app:1", target: "%2$s/sparse/app", platforms: [linux/amd64, linux/arm64]}
                  - {source: "%1$s/multi/app:1", target: "%2$s/whole/app"}
                """.formatted(source.hostPort(), target.hostPort()));
        var run = FerryProcess.run(dir, "sync", "--format", "json", file.toString());
        assertEquals(1, run.exitCode(), run.toString());
        Map<String, JsonNode> byTarget = new LinkedHashMap<>();
        for (String l : run.stdout().lines().toList()) {
            JsonNode line = Json.MAPPER.readTree(l);
            if (line.has("status")) {
                byTarget.put(line.path("target").asString(), line);
            }
        }
        JsonNode sparse = byTarget.get(target.hostPort() + "/sparse/app:1");
        assertEquals("failed", sparse.path("status").asString(), sparse.toString());
        assertTrue(sparse.path("error").asString().contains("write platform for one platform"), sparse.toString());
        assertEquals("copied", byTarget.get(target.hostPort() + "/whole/app:1").path("status").asString());
        assertEquals(index.digest().toString(), SyncAgainstRealRegistriesTest.digestAt(target.hostPort(), "whole/app", "1"));
    }
}
