package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Digest;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.LayoutAssertions;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A layout target with {@code prune: true}: a tag the source no longer lists leaves the index,
 * and the blobs that only it (or a tag that moved) reached leave the layout with it.
 */
class SyncLayoutPruneAgainstRealRegistriesTest {

    @TempDir
    Path dir;

    static Set<String> names(Path layout) throws Exception {
        Set<String> names = new TreeSet<>();
        for (JsonNode m : LayoutAssertions.index(layout).path("manifests")) {
            names.add(m.path("annotations").path("org.opencontainers.image.ref.name").asString());
        }
        return names;
    }

    static void deleteManifest(LocalRegistry registry, String repo, Digest digest) throws Exception {
        Request delete = new Request.Builder()
                .url("http://" + registry.hostPort() + "/v2/" + repo + "/manifests/" + digest).delete().build();
        try (Response r = new OkHttpClient().newCall(delete).execute()) {
            assertEquals(202, r.code(), "DELETE " + digest);
        }
    }

    @Test
    void pruningRemovesTheTagsTheSourceDroppedAndTheBlobsNothingReachesAnyMore() throws Exception {
        try (LocalRegistry source = LocalRegistry.start()) {
            TestPusher pusher = new TestPusher(source.hostPort());
            TestImage a1 = TestImage.builder().layer(Map.of("f", "a one")).build();
            TestImage b = TestImage.builder().layer(Map.of("f", "b")).build();
            pusher.push("gc/app", "a", a1);
            pusher.push("gc/app", "b", b);
            Path pruned = dir.resolve("pruned");
            Path kept = dir.resolve("kept");
            Path file = dir.resolve("sync.yaml");
            Files.writeString(file, """
                    creds:
                      - {registry: "%1$s", tls: disabled}
                    sync:
                      - {source: "%1$s/gc/app", target: "oci:%2$s", type: repository, prune: true}
                      - {source: "%1$s/gc/app", target: "oci:%3$s", type: repository}
                    """.formatted(source.hostPort(), pruned, kept));
            var first = FerryProcess.run(dir, "sync", file.toString());
            assertEquals(0, first.exitCode(), first.toString());
            assertEquals(Set.of("gc/app:a", "gc/app:b"), names(pruned));

            // the source drops b and moves a
            deleteManifest(source, "gc/app", b.digest());
            TestImage a2 = TestImage.builder().layer(Map.of("f", "a two")).build();
            pusher.push("gc/app", "a", a2);
            var second = FerryProcess.run(dir, "sync", file.toString());
            assertEquals(0, second.exitCode(), second.toString());

            assertEquals(Set.of("gc/app:a"), names(pruned));
            Set<String> reached = new HashSet<>();
            LayoutAssertions.assertEveryReferencedBlobVerifies(pruned).forEach(d -> reached.add(d.hex()));
            assertEquals(reached, LayoutAssertions.blobFiles(pruned), "the pruned layout holds what its index reaches");
            for (TestImage gone : new TestImage[] {a1, b}) {
                assertTrue(!Files.exists(pruned.resolve("blobs/sha256/" + gone.digest().hex())));
                assertTrue(!Files.exists(pruned.resolve("blobs/sha256/" + gone.layers().get(0).digest().hex())));
            }
            // without prune, names and blobs stay
            assertEquals(Set.of("gc/app:a", "gc/app:b"), names(kept));
            assertTrue(Files.exists(kept.resolve("blobs/sha256/" + a1.layers().get(0).digest().hex())));
            assertTrue(Files.exists(kept.resolve("blobs/sha256/" + b.layers().get(0).digest().hex())));
        }
    }
}
