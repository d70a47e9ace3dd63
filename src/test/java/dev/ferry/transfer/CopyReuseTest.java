package dev.ferry.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.json.Json;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What a copy moves for blobs the destination has or can link: HEAD 200 skips a blob with no
 * upload request at all, a cross-repository mount answered 201 moves no bytes, and one answered
 * 202 goes on in the session that answer opened. Each blob's fate is in {@code --format json}.
 */
@org.junit.jupiter.api.Timeout(60)
class CopyReuseTest {

    static final String SOURCE = "apps/src";
    static final String TARGET = "apps/dst";
    static final String SESSIONS = "/v2/" + TARGET + "/blobs/uploads/.+";
    static final String START = "/v2/" + TARGET + "/blobs/uploads/";

    final TestImage image = TestImage.builder()
            .layer(Map.of("etc/one", "first layer\n"))
            .layer(Map.of("etc/two", "second layer\n"))
            .build();
    FakeRegistry registry;
    FakeRegistry other;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put(SOURCE, "1.0", image);
    }

    @AfterEach
    void stop() {
        if (other != null) {
            other.close();
        }
        registry.close();
    }

    Cli.Result copy(String source, String destination) {
        Cli.Result result = Cli.run("copy", "-q", "--format", "json", source, destination);
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }

    /** Each blob's Status in the JSON summary, by digest. */
    static Map<String, String> statuses(Cli.Result result) {
        Map<String, String> statuses = new LinkedHashMap<>();
        for (JsonNode blob : Json.MAPPER.readTree(result.stdout()).get("Blobs")) {
            statuses.put(blob.get("Digest").asString(), blob.get("Status").asString());
        }
        return statuses;
    }

    List<Blob> blobs() {
        return List.of(image.config(), image.layers().get(0), image.layers().get(1));
    }

    void assertDestinationHoldsTheImage(FakeRegistry at) {
        for (Blob blob : blobs()) {
            assertArrayEquals(blob.bytes(), at.blob(TARGET, blob.digest()), "blob " + blob.digest());
        }
        assertArrayEquals(image.manifest().bytes(), at.manifest(TARGET, "2.0").bytes());
    }

    @Test
    void blobsTheDestinationHasAreSkippedWithoutAnyUploadRequest() throws Exception {
        other = FakeRegistry.start();
        blobs().forEach(blob -> other.putBlob(TARGET, blob));

        Cli.Result result = copy(registry.ref(SOURCE + ":1.0"), other.ref(TARGET + ":2.0"));

        assertEquals(Set.of("present"), Set.copyOf(statuses(result).values()), result.stdout());
        assertEquals(3, other.count("HEAD", "/v2/" + TARGET + "/blobs/.+"));
        assertEquals(0, other.count("POST", START) + other.count("PATCH", SESSIONS) + other.count("PUT", SESSIONS));
        assertEquals(0, registry.count("GET", "/v2/" + SOURCE + "/blobs/.+"), "no blob read from the source");
        assertDestinationHoldsTheImage(other);
    }

    @Test
    void onlyTheBlobsTheDestinationLacksAreUploaded() throws Exception {
        other = FakeRegistry.start();
        other.putBlob(TARGET, image.layers().get(1));

        Cli.Result result = copy(registry.ref(SOURCE + ":1.0"), other.ref(TARGET + ":2.0"));

        Map<String, String> statuses = statuses(result);
        assertEquals("fetched", statuses.get(image.config().digest().toString()));
        assertEquals("fetched", statuses.get(image.layers().get(0).digest().toString()));
        assertEquals("present", statuses.get(image.layers().get(1).digest().toString()));
        assertEquals(2, other.count("POST", START));
        assertEquals(0, registry.count("GET", "/v2/" + SOURCE + "/blobs/" + image.layers().get(1).digest()));
        assertDestinationHoldsTheImage(other);
    }

    @Test
    void aCopyToAnotherTagOfTheSameRepositoryMovesNoBlobs() {
        Cli.Result result = copy(registry.ref(SOURCE + ":1.0"), registry.ref(SOURCE + ":1.1"));

        assertEquals(Set.of("present"), Set.copyOf(statuses(result).values()), result.stdout());
        assertEquals(0, registry.count("POST", "/v2/" + SOURCE + "/blobs/uploads/"), "no mount from itself");
        assertArrayEquals(image.manifest().bytes(), registry.manifest(SOURCE, "1.1").bytes());
    }

    @Test
    void aMountAnswered201MovesNoBytesAndMarksTheBlobMounted() {
        Cli.Result result = copy(registry.ref(SOURCE + ":1.0"), registry.ref(TARGET + ":2.0"));

        assertEquals(Set.of("mounted"), Set.copyOf(statuses(result).values()), result.stdout());
        List<RecordedRequest> mounts = registry.requests("POST", START);
        assertEquals(3, mounts.size());
        for (RecordedRequest mount : mounts) {
            assertEquals(SOURCE, mount.getUrl().queryParameter("from"));
        }
        assertEquals(Set.copyOf(blobs().stream().map(b -> b.digest().toString()).toList()),
                Set.copyOf(mounts.stream().map(m -> m.getUrl().queryParameter("mount")).toList()));
        assertEquals(0, registry.count("PATCH", SESSIONS) + registry.count("PUT", SESSIONS));
        assertEquals(0, registry.count("GET", "/v2/" + SOURCE + "/blobs/.+"), "no blob bytes moved");
        assertDestinationHoldsTheImage(registry);
    }

    @Test
    void aMountAnswered202UploadsIntoTheSessionItOpenedWithoutAnotherPost() {
        registry.refuseMounts = true;

        Cli.Result result = copy(registry.ref(SOURCE + ":1.0"), registry.ref(TARGET + ":2.0"));

        assertEquals(Set.of("fetched"), Set.copyOf(statuses(result).values()), result.stdout());
        List<RecordedRequest> posts = registry.requests("POST", START);
        assertEquals(3, posts.size(), "one POST per blob: the mount request");
        for (RecordedRequest post : posts) {
            assertEquals(SOURCE, post.getUrl().queryParameter("from"), post.getRequestLine());
        }
        List<RecordedRequest> puts = registry.requests("PUT", SESSIONS);
        assertEquals(3, puts.size());
        for (RecordedRequest put : puts) {
            assertNull(put.getUrl().queryParameter("mount"), "the session's Location, not the mount URL");
        }
        assertEquals(0, registry.openUploads());
        assertEquals(0, registry.count("DELETE", SESSIONS), "nothing abandoned");
        assertDestinationHoldsTheImage(registry);
    }
}
