package dev.ferry.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Digest;
import dev.ferry.json.Json;
import dev.ferry.testing.Cli;
import dev.ferry.testing.CraftedDockerArchive;
import dev.ferry.testing.DockerDaemon;
import dev.ferry.testing.External;
import dev.ferry.testing.LocalRegistry;
import dev.ferry.testing.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** ferry's docker-archives against Docker's engine and skopeo: each reads what the other writes. */
@Timeout(600)
class DockerArchiveAgainstDockerTest {

    static DockerDaemon docker;
    static LocalRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerDaemon.start();
        registry = LocalRegistry.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    static TestImage image(String file) {
        return TestImage.builder().docker().layer(Map.of("base.txt", "base")).layer(Map.of(file, file)).build();
    }

    /** A ferry-written archive of the image, named {@code repoTag}. */
    Path ferryArchive(TestImage image, String repoTag, String file) throws Exception {
        Path crafted = CraftedDockerArchive.docker24(image).write(tmp.resolve("crafted-" + file + ".tar"));
        Path archive = tmp.resolve(file + ".tar");
        Cli.Result copy = Cli.run("copy", "docker-archive:" + crafted, "docker-archive:" + archive + ":" + repoTag);
        assertEquals(0, copy.exitCode(), copy.toString());
        return archive;
    }

    static List<String> diffIds(TestImage image) {
        return image.diffIds().stream().map(Digest::toString).toList();
    }

    @Test
    void dockerLoadsFerrysArchiveWithFerrysImageIdAndDiffIds() throws Exception {
        TestImage image = image("one.txt");
        docker.docker("load", "-i", ferryArchive(image, "ferry/one:1", "one").toString());
        JsonNode inspect = Json.MAPPER.readTree(docker.docker("image", "inspect", "ferry/one:1")).get(0);
        assertEquals(image.config().digest().toString(), inspect.get("Id").asString());
        List<String> layers = new ArrayList<>();
        inspect.get("RootFS").get("Layers").forEach(l -> layers.add(l.asString()));
        assertEquals(diffIds(image), layers);
    }

    @Test
    void dockerLoadsAnArchiveWithUncompressedLayersWithTheSameImageId() throws Exception {
        TestImage image = image("plain.txt");
        Path crafted = CraftedDockerArchive.docker24(image).write(tmp.resolve("crafted-plain.tar"));
        Path archive = tmp.resolve("plain.tar");
        Cli.Result copy = Cli.run("copy", "--uncompressed-layers", "docker-archive:" + crafted,
                "docker-archive:" + archive + ":ferry/plain:1");
        assertEquals(0, copy.exitCode(), copy.toString());
        docker.docker("load", "-i", archive.toString());
        assertEquals(image.config().digest().toString(),
                docker.docker("image", "inspect", "--format", "{{.Id}}", "ferry/plain:1").strip());
    }

    @Test
    void ferryReadsWhatDockerSavesOfOneImageAndOfSeveral() throws Exception {
        TestImage one = image("a.txt");
        TestImage two = image("b.txt");
        docker.docker("load", "-i", ferryArchive(one, "ferry/a:1", "a").toString());
        docker.docker("load", "-i", ferryArchive(two, "ferry/b:2", "b").toString());
        Path saved = tmp.resolve("saved.tar");
        docker.docker("save", "-o", saved.toString(), "ferry/a:1", "ferry/b:2");
        for (var pick : List.of(Map.entry("ferry/a:1", one), Map.entry("ferry/b:2", two))) {
            Cli.Result config = Cli.run("inspect", "--config", "docker-archive:" + saved + ":" + pick.getKey());
            assertEquals(0, config.exitCode(), config.toString());
            assertEquals(pick.getValue().config().digest(), Digest.sha256(config.stdoutBytes()));
            Cli.Result copy = Cli.run("copy", "docker-archive:" + saved + ":" + pick.getKey(), "oci:" + tmp.resolve("out"));
            assertEquals(0, copy.exitCode(), copy.toString());
        }
    }

    @Test
    void skopeoReadsFerrysArchiveAndFerryReadsSkopeos() throws Exception {
        TestImage image = image("s.txt");
        Path archive = ferryArchive(image, "ferry/s:1", "s");
        External.check("skopeo", "copy", "docker-archive:" + archive, "oci:" + tmp.resolve("skopeo-oci") + ":1");
        Path skopeos = tmp.resolve("skopeo.tar");
        External.check("skopeo", "copy", "oci:" + tmp.resolve("skopeo-oci") + ":1", "docker-archive:" + skopeos
                + ":ferry/s:2");
        Cli.Result config = Cli.run("inspect", "--config", "docker-archive:" + skopeos);
        assertEquals(0, config.exitCode(), config.toString());
        // skopeo rewrites the config on its way through an OCI layout; the layers stay
        List<String> read = new ArrayList<>();
        Json.MAPPER.readTree(config.stdoutBytes()).get("rootfs").get("diff_ids").forEach(d -> read.add(d.asString()));
        assertEquals(diffIds(image), read);
        Cli.Result verify = Cli.run("verify", "docker-archive:" + skopeos);
        assertEquals(0, verify.exitCode(), verify.toString());
        Files.delete(skopeos);
    }

    @Test
    void aMultiImageArchiveOfFerrySaveWithASharedBaseLoadsIntoDockerWithAllItsTags() throws Exception {
        TestImage one = image("m1.txt");
        TestImage two = image("m2.txt");
        Path a = CraftedDockerArchive.docker24(one, "ferry/m1:1", "ferry/m1:latest").write(tmp.resolve("m1.tar"));
        Path b = CraftedDockerArchive.docker24(two, "ferry/m2:2").write(tmp.resolve("m2.tar"));
        Path saved = tmp.resolve("multi.tar");
        Cli.Result save = Cli.run("save", "-q", "-o", saved.toString(), "docker-archive:" + a + ":ferry/m1:1",
                "docker-archive:" + a + ":ferry/m1:latest", "docker-archive:" + b + ":ferry/m2:2");
        assertEquals(0, save.exitCode(), save.toString());
        docker.docker("load", "-i", saved.toString());
        for (var tag : List.of(Map.entry("ferry/m1:1", one), Map.entry("ferry/m1:latest", one),
                Map.entry("ferry/m2:2", two))) {
            assertEquals(tag.getValue().config().digest().toString(),
                    docker.docker("image", "inspect", "--format", "{{.Id}}", tag.getKey()).strip());
        }
    }

    @Test
    void ferryLoadsWhatDockerSavesIntoARegistryWithTheSameConfigAndDiffIds() throws Exception {
        TestImage one = image("r1.txt");
        TestImage two = image("r2.txt");
        docker.docker("load", "-i", ferryArchive(one, "example.org/team/r1:1", "r1").toString());
        docker.docker("load", "-i", ferryArchive(two, "r2:2", "r2").toString());
        Path saved = tmp.resolve("docker-saved.tar");
        docker.docker("save", "-o", saved.toString(), "example.org/team/r1:1", "r2:2");
        Cli.Result load = Cli.run("load", "-q", saved.toString(), "docker://" + registry.hostPort() + "/mirror");
        assertEquals(0, load.exitCode(), load.toString());
        for (var tag : List.of(Map.entry("mirror/team/r1:1", one), Map.entry("mirror/r2:2", two))) {
            Cli.Result config = Cli.run("inspect", "--config", "docker://" + registry.hostPort() + "/" + tag.getKey());
            assertEquals(0, config.exitCode(), config.toString());
            assertEquals(tag.getValue().config().digest(), Digest.sha256(config.stdoutBytes()));
        }
    }

    @Test
    void aGzippedDockerSaveLoadsIntoARegistryAndDockerLoadsAGzippedFerryArchive() throws Exception {
        TestImage image = image("gz.txt");
        docker.docker("load", "-i", gzip(ferryArchive(image, "gz/app:1", "gz")).toString());
        Path saved = tmp.resolve("docker-saved-gz.tar");
        docker.docker("save", "-o", saved.toString(), "gz/app:1");

        Cli.Result load = Cli.run("load", "-q", gzip(saved).toString(), "docker://" + registry.hostPort() + "/zipped");

        assertEquals(0, load.exitCode(), load.toString());
        Cli.Result config = Cli.run("inspect", "--config", "docker://" + registry.hostPort() + "/zipped/gz/app:1");
        assertEquals(0, config.exitCode(), config.toString());
        assertEquals(image.config().digest(), Digest.sha256(config.stdoutBytes()));
        String id = docker.docker("inspect", "--format", "{{.Id}}", "gz/app:1").strip();
        assertEquals(image.config().digest().toString(), id);
    }

    /** The file gzipped beside itself, as {@code gzip -k} leaves it. */
    private static Path gzip(Path file) throws java.io.IOException {
        Path zipped = file.resolveSibling(file.getFileName() + ".gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(zipped))) {
            Files.copy(file, out);
        }
        return zipped;
    }

    @Test
    void ferrysHistoryEqualsDockersRowByRowAndItsChainIdsNameDockersLayerStore() throws Exception {
        TestImage image = TestImage.builder().docker().layer(Map.of("h1.txt", "x".repeat(1500)))
                .layer(Map.of("h2.txt", "h2", "h3.txt", "three")).build();
        Path archive = ferryArchive(image, "ferry/h:1", "h");
        docker.docker("load", "-i", archive.toString());
        List<JsonNode> dockers = new ArrayList<>();
        for (String line : docker.docker("history", "--no-trunc", "--format", "{{json .}}", "ferry/h:1").split("\n")) {
            dockers.add(Json.MAPPER.readTree(line));
        }
        Cli.Result history = Cli.run("history", "--sizes", "--no-trunc", "--format", "json", "docker-archive:" + archive);
        assertEquals(0, history.exitCode(), history.toString());
        String[] lines = history.stdout().strip().split("\n");
        assertEquals(dockers.size(), lines.length, history.stdout());
        Path layerdb = docker.dataRoot().resolve("image/vfs/layerdb/sha256");
        for (int i = 0; i < lines.length; i++) {
            JsonNode ours = Json.MAPPER.readTree(lines[i]);
            for (String field : List.of("ID", "CreatedAt", "CreatedBy", "Size", "Comment")) {
                assertEquals(dockers.get(i).get(field).asString(), ours.get(field).asString(), field + " of row " + i);
            }
            String chainId = ours.get("ChainID").asString();
            if (!chainId.isEmpty()) {
                assertTrue(Files.isDirectory(layerdb.resolve(chainId.substring("sha256:".length()))), chainId);
            }
        }
    }
}
