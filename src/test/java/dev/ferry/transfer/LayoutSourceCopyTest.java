package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.TestImage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Copies whose source is an OCI layout: which image {@code oci:DIR[:NAME]} names (the layout's only
 * one when NAME is left out, as in skopeo), what a wrong or missing name says, and a layout copied
 * into another layout.
 */
@org.junit.jupiter.api.Timeout(60)
class LayoutSourceCopyTest {

    final TestImage web = TestImage.builder().layer(Map.of("srv/index.html", "web\n")).build();
    final TestImage db = TestImage.builder().layer(Map.of("var/db", "db\n")).build();

    @TempDir
    Path tmp;

    FakeRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put("apps/web", "1", web);
        registry.put("apps/db", "1", db);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    /** A layout holding the given images, pulled under the given names. */
    Path layoutWith(String dir, String... namesAndRepositories) {
        Path layout = tmp.resolve(dir);
        for (int i = 0; i < namesAndRepositories.length; i += 2) {
            Cli.Result pulled = Cli.run("copy", "-q", registry.ref(namesAndRepositories[i + 1] + ":1"),
                    "oci:" + layout + ":" + namesAndRepositories[i]);
            assertEquals(0, pulled.exitCode(), pulled.toString());
        }
        return layout;
    }

    @Test
    void aLayoutWithOneImageIsCopiedWithoutNamingIt() {
        Path layout = layoutWith("one", "web", "apps/web");

        Cli.Result copy = Cli.run("copy", "-q", "oci:" + layout, registry.ref("mirror/web:2"));

        assertEquals(0, copy.exitCode(), copy.toString());
        assertArrayEquals(web.manifest().bytes(), registry.manifest("mirror/web", "2").bytes());
    }

    @Test
    void aLayoutWithSeveralImagesAndNoNameIsRefusedWithTheNamesItHolds() {
        Path layout = layoutWith("two", "web", "apps/web", "db", "apps/db");

        Cli.Result copy = Cli.run("copy", "-q", "oci:" + layout, registry.ref("mirror/any:2"));

        assertEquals(1, copy.exitCode(), copy.toString());
        assertEquals(1, copy.stderr().strip().lines().count(), copy.stderr());
        assertTrue(copy.stderr().contains("holds 2 images") && copy.stderr().contains("web")
                && copy.stderr().contains("db"), copy.stderr());
    }

    @Test
    void aNameTheLayoutDoesNotHoldIsNotFoundAndTheLineListsTheNames() {
        Path layout = layoutWith("named", "web", "apps/web", "db", "apps/db");

        Cli.Result copy = Cli.run("copy", "-q", "oci:" + layout + ":cache", registry.ref("mirror/any:2"));

        assertEquals(3, copy.exitCode(), copy.toString());
        assertTrue(copy.stderr().contains("no image named 'cache'") && copy.stderr().contains("names: web, db"),
                copy.stderr());
    }

    @Test
    void aLayoutOfThousandsOfLongNamesIsRefusedOnALineOfBoundedLength() throws Exception {
        Path layout = layoutWith("crowded", "web", "apps/web");
        StringBuilder index = new StringBuilder("{\"schemaVersion\":2,\"manifests\":[");
        for (int i = 0; i < 2000; i++) {
            index.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",")
                    .append("\"digest\":\"").append(web.digest()).append("\",\"size\":").append(web.manifest().bytes().length)
                    .append(",\"annotations\":{\"org.opencontainers.image.ref.name\":\"").append(i).append("x".repeat(1000))
                    .append("\"}}");
        }
        java.nio.file.Files.writeString(layout.resolve("index.json"), index.append("]}"));

        Cli.Result copy = Cli.run("copy", "-q", "oci:" + layout, registry.ref("mirror/any:2"));

        assertEquals(1, copy.exitCode(), copy.toString());
        assertTrue(copy.stderr().contains("holds 2000 images") && copy.stderr().contains("and 1980 more"), copy.stderr());
        assertTrue(copy.stderr().length() < 4000, "a line of " + copy.stderr().length() + " characters");
    }

    @Test
    void aLayoutCopiedIntoAnotherLayoutKeepsTheDigestAndEveryBlobVerifies() throws Exception {
        Path from = layoutWith("from", "web", "apps/web", "db", "apps/db");
        Path to = tmp.resolve("to");

        Cli.Result copy = Cli.run("copy", "-q", "oci:" + from + ":db", "oci:" + to + ":database");

        assertEquals(0, copy.exitCode(), copy.toString());
        JsonNode entries = LayoutAssertions.index(to).get("manifests");
        assertEquals(1, entries.size());
        assertEquals(db.digest().toString(), entries.get(0).get("digest").asString());
        assertEquals("database", entries.get(0).get("annotations").get("org.opencontainers.image.ref.name").asString());
        assertEquals(1 + 1 + 1, LayoutAssertions.assertEveryReferencedBlobVerifies(to).size());
    }
}
