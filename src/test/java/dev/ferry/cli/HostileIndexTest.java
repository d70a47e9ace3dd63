package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.inspect.Inspector;
import dev.ferry.json.Json;
import dev.ferry.manifest.ManifestParser;
import dev.ferry.manifest.MediaType;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.CraftedIndex;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Indexes crafted to make a client send many requests: the requests ferry sends are bounded by the
 * distinct digests an index names, an index past the entry limit is refused before any child is
 * asked for, and a server error stops the command.
 */
class HostileIndexTest {

    static final String REPO = "apps/multi";
    final TestImage amd64 = TestImage.builder().platform("linux", "amd64", null).build();
    final TestImage arm64 = TestImage.builder().platform("linux", "arm64", null).build();
    FakeRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put(REPO, amd64.digest().toString(), amd64);
        registry.put(REPO, arm64.digest().toString(), arm64);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    /** Every request but the ping of {@code /v2/}. */
    int requestsBeyondThePing() {
        return registry.count("GET", "/v2/.+") + registry.count("HEAD", "/v2/.+");
    }

    int childManifestRequests() {
        return registry.count("GET", "/v2/" + REPO + "/manifests/sha256:.*");
    }

    @Test
    void anIndexNamingTwoManifestsSixHundredTimesCostsOneRequestPerDistinctDigest() {
        CraftedIndex index = new CraftedIndex();
        for (int i = 0; i < 300; i++) {
            index.entry(amd64.manifest(), "linux/amd64").entry(arm64.manifest(), "linux/arm64");
        }
        registry.putManifest(REPO, "2.0", index.build());

        Cli.Result result = Cli.run("inspect", registry.ref(REPO + ":2.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(600, Json.MAPPER.readTree(result.stdout()).get("Platforms").size());
        assertEquals(2, childManifestRequests(), "each distinct manifest once");
        // the index, its 2 distinct manifests, the chosen image's config, the tag list
        assertEquals(1 + 2 + 1 + 1, requestsBeyondThePing());
    }

    @Test
    void anIndexOfTwentyThousandEntriesIsRefusedBeforeAnyOfThemIsAskedFor() {
        CraftedIndex index = new CraftedIndex();
        for (int i = 0; i < 20_000; i++) {
            index.entry(amd64.manifest(), "linux/amd64");
        }
        registry.putManifest(REPO, "2.0", index.build());

        Cli.Result result = Cli.run("inspect", registry.ref(REPO + ":2.0"));

        BadInputTest.assertFailsCleanly(ExitCodes.INVALID_RESPONSE, result);
        assertEquals("ferry: " + registry.hostPort() + "/" + REPO + ":2.0: the manifest lists 20000 entries, more than the "
                + ManifestParser.MAX_INDEX_ENTRIES + " ferry accepts in an index\n", result.stderr());
        assertEquals(0, childManifestRequests());
        assertEquals(1, requestsBeyondThePing(), "the index alone");
    }

    @Test
    void aServerErrorWithoutRetriesStopsTheInspectionAfterOneRequestPerFetchThread() {
        CraftedIndex index = new CraftedIndex().entry(amd64.manifest(), "linux/amd64");
        for (int i = 0; i < 500; i++) {
            Blob child = CraftedIndex.manifest(i);
            registry.putManifest(REPO, child.digest().toString(), child);
            index.entry(child, "linux/arm64");
        }
        registry.putManifest(REPO, "2.0", index.build());
        registry.intercept("GET", "/v2/" + REPO + "/manifests/sha256:.*",
                request -> FakeRegistry.error(503, "UNAVAILABLE", "the registry is down for maintenance"));

        Cli.Result result = Cli.run("--retry-times", "0", "inspect", registry.ref(REPO + ":2.0"));

        BadInputTest.assertFailsCleanly(ExitCodes.FAILURE, result);
        assertTrue(result.stderr().startsWith("ferry: " + registry.hostPort() + "/" + REPO + "@sha256:"), result.stderr());
        assertTrue(result.stderr().contains("HTTP 503"), result.stderr());
        // Each fetch thread and the caller send at most one request: none starts after a failure is seen.
        int children = childManifestRequests();
        assertTrue(children >= 1 && children <= Inspector.PARALLEL_FETCHES + 2, children + " manifest requests");
        assertEquals(0, registry.count("GET", "/v2/" + REPO + "/blobs/.*"), "no config is asked for");
    }

    @Test
    void anEntryForThePlatformThatIsAnIndexIsCalledANestedIndexAndNotListedAsAvailable() {
        Blob inner = new CraftedIndex().entry(amd64.manifest(), "linux/amd64").build();
        registry.putManifest(REPO, inner.digest().toString(), inner);
        registry.putManifest(REPO, "2.0", new CraftedIndex().entry(inner, "linux/amd64").entry(arm64.manifest(),
                "linux/arm64").build());

        Cli.Result result = Cli.run("inspect", registry.ref(REPO + ":2.0"));

        BadInputTest.assertFailsCleanly(ExitCodes.INVALID_RESPONSE, result);
        assertEquals("ferry: " + registry.hostPort() + "/" + REPO + ":2.0: the index's entry for linux/amd64 ("
                + inner.digest() + ") is itself an index, a nested index, which ferry does not follow (copy or "
                + "inspect it by that digest)\n", result.stderr());
        assertFalse(result.stderr().contains("available"), result.stderr());
        assertEquals(1, requestsBeyondThePing(), "nothing but the index is asked for");
    }

    @Test
    void anEntryThatClaimsAnImageButIsAnIndexIsRefusedAsANestedIndex() {
        Blob inner = new CraftedIndex().entry(amd64.manifest(), "linux/amd64").build();
        registry.putManifest(REPO, inner.digest().toString(), inner);
        registry.putManifest(REPO, "2.0", new CraftedIndex()
                .entry(inner, MediaType.OCI_MANIFEST.value(), "linux/amd64").build());

        Cli.Result result = Cli.run("inspect", registry.ref(REPO + ":2.0"));

        BadInputTest.assertFailsCleanly(ExitCodes.INVALID_RESPONSE, result);
        assertTrue(result.stderr().contains("a nested index, which ferry does not follow"), result.stderr());
        assertEquals(1, registry.count("GET", "/v2/" + REPO + "/manifests/" + inner.digest()), "asked for once");
        assertEquals(0, registry.count("GET", "/v2/" + REPO + "/manifests/" + amd64.digest()), "not followed");
    }

    @Test
    void aPullOfEveryPlatformFetchesAndStoresAManifestNamedTwiceOnce(@TempDir Path tmp) throws Exception {
        CraftedIndex index = new CraftedIndex();
        for (int i = 0; i < 50; i++) {
            index.entry(amd64.manifest(), "linux/amd64");
        }
        registry.putManifest(REPO, "2.0", index.build());

        Cli.Result result = Cli.run("pull", "--all", "--quiet", registry.ref(REPO + ":2.0"), tmp.resolve("l").toString());

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(1, childManifestRequests());
        assertEquals(1 + amd64.layers().size(), registry.count("GET", "/v2/" + REPO + "/blobs/.*"));
        List<Path> stored;
        try (var files = Files.list(tmp.resolve("l/blobs/sha256"))) {
            stored = files.toList();
        }
        // the index, the manifest, its config and layers
        assertEquals(2 + 1 + amd64.layers().size(), stored.size(), stored.toString());
        JsonNode entries = Json.MAPPER.readTree(tmp.resolve("l/index.json").toFile()).get("manifests");
        assertEquals(1, entries.size(), entries.toString());
    }

    @Test
    void aConfigPromisingMoreThanFerryReadsIsRefusedNamingTheImageAndTheBlob() {
        tools.jackson.databind.node.ObjectNode json =
                (tools.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(amd64.manifest().bytes());
        ((tools.jackson.databind.node.ObjectNode) json.get("config")).put("size", Inspector.MAX_CONFIG_BYTES + 1L);
        Blob manifest = new Blob(MediaType.OCI_MANIFEST.value(), Json.MAPPER.writeValueAsBytes(json));
        registry.putManifest(REPO, "big", manifest);

        Cli.Result result = Cli.run("inspect", "--no-tags", registry.ref(REPO + ":big"));

        BadInputTest.assertFailsCleanly(ExitCodes.VERIFICATION, result);
        assertTrue(result.stderr().startsWith("ferry: " + registry.hostPort() + "/" + REPO + ":big: config blob "
                + amd64.config().digest() + ": is " + (Inspector.MAX_CONFIG_BYTES + 1L) + " bytes"), result.stderr());
        assertEquals(0, registry.count("GET", "/v2/" + REPO + "/blobs/.*"), "not asked for");
    }

    @Test
    void aServerErrorListingTheTagsStopsTheInspectionAndIsTheFailureReported() {
        CraftedIndex index = new CraftedIndex().entry(amd64.manifest(), "linux/amd64");
        registry.putManifest(REPO, "2.0", index.build());
        registry.on("/v2/" + REPO + "/tags/list", FakeRegistry.error(503, "UNAVAILABLE", "tags are resting"));

        Cli.Result result = Cli.run("--retry-times", "0", "inspect", registry.ref(REPO + ":2.0"));

        BadInputTest.assertFailsCleanly(ExitCodes.FAILURE, result);
        assertTrue(result.stderr().startsWith("ferry: " + registry.hostPort() + "/" + REPO), result.stderr());
        assertTrue(result.stderr().contains("HTTP 503 UNAVAILABLE: tags are resting"), result.stderr());
        assertEquals(1, registry.count("/v2/" + REPO + "/tags/list"), "not retried");
    }

    @Test
    void aPullOrCopyOfANestedIndexRefusesItByNameAndFetchesNoLayer(@TempDir Path tmp) {
        Blob inner = new CraftedIndex().entry(amd64.manifest(), "linux/amd64").build();
        registry.putManifest(REPO, inner.digest().toString(), inner);
        registry.putManifest(REPO, "2.0", new CraftedIndex().entry(inner, "linux/amd64").build());

        Cli.Result pull = Cli.run("pull", registry.ref(REPO + ":2.0"), tmp.resolve("a").toString());
        Cli.Result all = Cli.run("copy", "--all", registry.ref(REPO + ":2.0"), "oci:" + tmp.resolve("b"));

        BadInputTest.assertFailsCleanly(ExitCodes.INVALID_RESPONSE, pull);
        assertTrue(pull.stderr().contains("the index's entry for linux/amd64 (" + inner.digest() + ") is itself an "
                + "index, a nested index, which ferry does not follow"), pull.stderr());
        assertEquals(ExitCodes.INVALID_RESPONSE, all.exitCode(), all.toString());
        assertTrue(all.stderr().contains(registry.hostPort() + "/" + REPO + ":2.0@" + inner.digest()
                + ": the index names an index, a nested index, which ferry does not follow"), all.stderr());
        assertEquals(0, registry.count("GET", "/v2/" + REPO + "/blobs/.*"));
    }
}
