package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.CountingProxy;
import dev.ferry.testing.External;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import dev.ferry.testing.TestPusher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same skopeo sync YAML run by {@code ferry sync} and by {@code skopeo sync --src yaml}, into
 * two prefixes of one target registry, each registry behind a counting proxy: the targets end
 * with the same digests, and ferry's unchanged run sends no GET at all where skopeo GETs every
 * manifest again.
 */
class SyncVersusSkopeoTest {

    static final List<String> REPOS = List.of("org/api", "org/web", "org/worker");
    static final List<String> TAGS = List.of("1", "2");

    @TempDir
    Path dir;

    record Counts(long total, long headManifests, long getManifests, long blobBytes) {
        static Counts of(CountingProxy src, CountingProxy dst) {
            return new Counts(src.total() + dst.total(), src.count("HEAD", "manifests") + dst.count("HEAD", "manifests"),
                    src.count("GET", "manifests") + dst.count("GET", "manifests"), src.blobBytesServed());
        }
    }

    @Test
    void ferryAndSkopeoLeaveTheSameDigestsAndFerrysUnchangedRunSendsNoGet() throws Exception {
        try (LocalRegistry source = LocalRegistry.start(); LocalRegistry target = LocalRegistry.start();
                CountingProxy src = CountingProxy.start(source.hostPort());
                CountingProxy dst = CountingProxy.start(target.hostPort())) {
            TestPusher pusher = new TestPusher(source.hostPort());
            Blob base = TestImage.builder().layer(Map.of("base", "shared base layer")).build().layers().getFirst();
            for (String repo : REPOS) {
                for (String tag : TAGS) {
                    TestImage own = TestImage.builder().layer(Map.of("app", repo + tag)).build();
                    pusher.push(repo, tag, own.withLayers(List.of(base, own.layers().getFirst())));
                }
            }
            Path yaml = dir.resolve("skopeo.yaml");
            StringBuilder images = new StringBuilder();
            REPOS.forEach(r -> images.append("    ").append(r).append(": []\n"));
            Files.writeString(yaml, "\"" + src.hostPort() + "\":\n  tls-verify: false\n  images:\n" + images);
            Path ferryYaml = dir.resolve("ferry.yaml");
            Files.writeString(ferryYaml, Files.readString(yaml) + "\"" + dst.hostPort() + "\":\n  tls-verify: false\n");

            Counts[] ferry = new Counts[2];
            Counts[] skopeo = new Counts[2];
            for (int run = 0; run < 2; run++) {
                src.reset();
                dst.reset();
                Cli.Result result = Cli.run("sync", "--dest", dst.hostPort() + "/ferry", ferryYaml.toString());
                assertEquals(0, result.exitCode(), result.toString());
                ferry[run] = Counts.of(src, dst);
                src.reset();
                dst.reset();
                External.Output sk = External.run("skopeo", "sync", "--src", "yaml", "--dest", "docker",
                        "--dest-tls-verify=false", yaml.toString(), dst.hostPort() + "/skopeo");
                assertEquals(0, sk.exitCode(), sk.toString());
                skopeo[run] = Counts.of(src, dst);
            }
            for (String repo : REPOS) {
                String name = repo.substring(repo.lastIndexOf('/') + 1);
                for (String tag : TAGS) {
                    String fromSource = SyncAgainstRealRegistriesTest.digestAt(source.hostPort(), repo, tag);
                    assertEquals(fromSource, SyncAgainstRealRegistriesTest.digestAt(target.hostPort(), "ferry/" + name, tag));
                    assertEquals(fromSource, SyncAgainstRealRegistriesTest.digestAt(target.hostPort(), "skopeo/" + name, tag));
                }
            }
            System.out.printf("%-22s %8s %8s %8s %10s%n", "run", "requests", "HEAD man", "GET man", "blob bytes");
            for (int run = 0; run < 2; run++) {
                String which = run == 0 ? "first" : "unchanged";
                for (var row : List.of(Map.entry("ferry " + which, ferry[run]), Map.entry("skopeo " + which, skopeo[run]))) {
                    Counts c = row.getValue();
                    System.out.printf("%-22s %8d %8d %8d %10d%n", row.getKey(), c.total(), c.headManifests(),
                            c.getManifests(), c.blobBytes());
                }
            }
            assertEquals(0, ferry[1].getManifests());
            assertEquals(0, ferry[1].blobBytes());
            assertTrue(skopeo[1].getManifests() >= REPOS.size() * TAGS.size(), skopeo[1].toString());
            assertTrue(ferry[1].total() < skopeo[1].total(), ferry[1] + " vs " + skopeo[1]);
            assertTrue(ferry[0].total() <= skopeo[0].total(), ferry[0] + " vs " + skopeo[0]);
        }
    }
}
