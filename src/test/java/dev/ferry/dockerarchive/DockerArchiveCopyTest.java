package dev.ferry.dockerarchive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.json.Json;
import dev.ferry.testing.Cli;
import dev.ferry.testing.CraftedDockerArchive;
import dev.ferry.testing.Layers;
import dev.ferry.testing.TestImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** docker-archive as a source and a destination of copy, and for inspect and verify, without a daemon. */
@Timeout(60)
class DockerArchiveCopyTest {

    @TempDir
    Path tmp;

    static TestImage image(String compression) {
        return TestImage.builder().docker().compression(compression).layer(Map.of("a.txt", "one"))
                .layer(Map.of("b.txt", "two")).build();
    }

    static Map<String, byte[]> entries(Path tar) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = t.getNextEntry()) != null) {
                if (!e.isDirectory()) {
                    entries.put(e.getName(), t.readAllBytes());
                }
            }
        }
        return entries;
    }

    @Test
    void aDocker24ArchiveIsCopiedIntoALayoutWithItsConfigAndLayersUnchanged() throws IOException {
        TestImage image = image("none");
        Path archive = CraftedDockerArchive.docker24(image, "app:1").write(tmp.resolve("a.tar"));
        Cli.Result copy = Cli.run("copy", "docker-archive:" + archive, "oci:" + tmp.resolve("out") + ":1");
        assertEquals(0, copy.exitCode(), copy.toString());
        Cli.Result config = Cli.run("inspect", "--config", "oci:" + tmp.resolve("out") + ":1");
        assertEquals(image.config().digest(), dev.ferry.digest.Digest.sha256(config.stdoutBytes()));
        Cli.Result inspect = Cli.run("inspect", "docker-archive:" + archive + ":app:1");
        assertEquals(0, inspect.exitCode(), inspect.toString());
        JsonNode layers = Json.MAPPER.readTree(inspect.stdout()).get("Layers");
        assertEquals(image.diffIds().get(0).toString(), layers.get(0).asString());
    }

    @Test
    void ferrysArchiveHoldsAnOciLayoutAndDockersManifestAndReadsBackAsTheSameImage() throws IOException {
        TestImage image = image("gzip");
        Path source = CraftedDockerArchive.docker24(image, "app:1").write(tmp.resolve("a.tar"));
        Path written = tmp.resolve("b.tar");
        Cli.Result copy = Cli.run("copy", "docker-archive:" + source, "docker-archive:" + written + ":reg.example/x/app:2");
        assertEquals(0, copy.exitCode(), copy.toString());
        Map<String, byte[]> entries = entries(written);
        assertTrue(entries.containsKey("oci-layout") && entries.containsKey("index.json")
                && entries.containsKey("repositories"), entries.keySet().toString());
        JsonNode manifest = Json.MAPPER.readTree(entries.get("manifest.json")).get(0);
        assertEquals("blobs/sha256/" + image.config().digest().hex(), manifest.get("Config").asString());
        assertEquals("reg.example/x/app:2", manifest.get("RepoTags").get(0).asString());
        assertEquals(2, manifest.get("Layers").size());
        Cli.Result again = Cli.run("copy", "docker-archive:" + written, "oci:" + tmp.resolve("out"));
        assertEquals(0, again.exitCode(), again.toString());
        Cli.Result verify = Cli.run("verify", "docker-archive:" + written);
        assertEquals(0, verify.exitCode(), verify.toString());
    }

    @Test
    void aGzippedArchiveWithALayerThatIsALinkToAnotherEntryIsRead() throws IOException {
        TestImage image = image("gzip");
        String config = image.config().digest().hex() + ".json";
        Path archive = new CraftedDockerArchive().file("blobs/sha256/aa", image.layers().get(0).bytes())
                .symlink("l1/layer.tar", "../blobs/sha256/aa").file("l2/layer.tar", image.layers().get(1).bytes())
                .file(config, image.config().bytes())
                .file("manifest.json", CraftedDockerArchive.manifestJson(config, List.of("l1/layer.tar", "l2/layer.tar")))
                .writeGzipped(tmp.resolve("a.tar.gz"));
        Cli.Result copy = Cli.run("copy", "docker-archive:" + archive, "oci:" + tmp.resolve("out"));
        assertEquals(0, copy.exitCode(), copy.toString());
    }

    @Test
    void anImageOfSeveralIsPickedByNameOrIndexAndNoneWithoutEither() throws IOException {
        TestImage one = image("none");
        TestImage two = TestImage.builder().docker().compression("none").layer(Map.of("c", "3")).build();
        CraftedDockerArchive crafted = new CraftedDockerArchive();
        for (TestImage i : List.of(one, two)) {
            crafted.file("b/" + i.config().digest().hex(), i.config().bytes());
            for (var l : i.layers()) {
                crafted.file("b/" + l.digest().hex(), l.bytes());
            }
        }
        String manifest = "[" + CraftedDockerArchive.manifestJson("b/" + one.config().digest().hex(),
                one.layers().stream().map(l -> "b/" + l.digest().hex()).toList(), "one:1").replaceAll("^\\[|\\]$", "")
                + "," + CraftedDockerArchive.manifestJson("b/" + two.config().digest().hex(),
                two.layers().stream().map(l -> "b/" + l.digest().hex()).toList(), "two:2").replaceAll("^\\[|\\]$", "")
                + "]";
        Path archive = crafted.file("manifest.json", manifest).write(tmp.resolve("m.tar"));
        Cli.Result byName = Cli.run("inspect", "--config", "docker-archive:" + archive + ":two:2");
        assertEquals(two.config().digest(), dev.ferry.digest.Digest.sha256(byName.stdoutBytes()), byName.toString());
        Cli.Result byIndex = Cli.run("inspect", "--config", "docker-archive:" + archive + ":@0");
        assertEquals(one.config().digest(), dev.ferry.digest.Digest.sha256(byIndex.stdoutBytes()), byIndex.toString());
        Cli.Result neither = Cli.run("inspect", "docker-archive:" + archive);
        assertEquals(3, neither.exitCode(), neither.toString());
        assertTrue(neither.stderr().contains("holds 2 images"), neither.stderr());
    }

    @Test
    void aConfigNotNamedByItsDigestGetsAWarning() throws IOException {
        TestImage image = image("none");
        Path archive = new CraftedDockerArchive().file("l1.tar", image.layers().get(0).bytes())
                .file("l2.tar", image.layers().get(1).bytes()).file("config.json", image.config().bytes())
                .file("manifest.json", CraftedDockerArchive.manifestJson("config.json", List.of("l1.tar", "l2.tar")))
                .write(tmp.resolve("a.tar"));
        Cli.Result copy = Cli.run("copy", "docker-archive:" + archive, "oci:" + tmp.resolve("out"));
        assertEquals(0, copy.exitCode(), copy.toString());
        assertTrue(copy.stderr().contains("is not named by its digest " + image.config().digest()), copy.stderr());
    }

    @Test
    void anArchiveIsWrittenToStandardOutputWithDash() throws IOException {
        Path source = CraftedDockerArchive.docker24(image("gzip"), "app:1").write(tmp.resolve("a.tar"));
        Cli.Result copy = Cli.run("copy", "--quiet", "docker-archive:" + source, "docker-archive:-:app:1");
        assertEquals(0, copy.exitCode(), copy.toString());
        assertTrue(copy.stdoutBytes().length > 1024 && new String(copy.stdoutBytes(), 257, 5).equals("ustar"));
    }

    @Test
    void cranesConfigNamedSha256ColonHexGetsNoWarningAndTheSummaryCannotJoinAnArchiveOnStandardOutput()
            throws IOException {
        TestImage image = image("gzip");
        String config = image.config().digest().toString();
        Path archive = new CraftedDockerArchive().file(config, image.config().bytes())
                .file("a.tar.gz", image.layers().get(0).bytes()).file("b.tar.gz", image.layers().get(1).bytes())
                .file("manifest.json", CraftedDockerArchive.manifestJson(config, List.of("a.tar.gz", "b.tar.gz"), "c:1"))
                .write(tmp.resolve("crane.tar"));
        Cli.Result copy = Cli.run("copy", "docker-archive:" + archive, "oci:" + tmp.resolve("out"));
        assertEquals(0, copy.exitCode(), copy.toString());
        assertTrue(!copy.stderr().contains("warning"), copy.stderr());
        Cli.Result mixed = Cli.run("copy", "--format", "json", "docker-archive:" + archive, "docker-archive:-");
        assertEquals(2, mixed.exitCode(), mixed.toString());
        assertEquals(0, mixed.stdoutBytes().length);
    }

    @Test
    void withUncompressedLayersEachLayerIsAPlainTarNamedByItsDiffIdUnderTheSameConfig() throws IOException {
        TestImage image = image("gzip");
        Path source = CraftedDockerArchive.docker24(image, "app:1").write(tmp.resolve("a.tar"));
        Path written = tmp.resolve("plain.tar");
        Cli.Result copy = Cli.run("copy", "--uncompressed-layers", "docker-archive:" + source,
                "docker-archive:" + written + ":app:1");
        assertEquals(0, copy.exitCode(), copy.toString());
        Map<String, byte[]> entries = entries(written);
        JsonNode manifest = Json.MAPPER.readTree(entries.get("manifest.json")).get(0);
        assertEquals("blobs/sha256/" + image.config().digest().hex(), manifest.get("Config").asString());
        for (int i = 0; i < 2; i++) {
            String layer = "blobs/sha256/" + image.diffIds().get(i).hex();
            assertEquals(layer, manifest.get("Layers").get(i).asString());
            assertEquals(image.diffIds().get(i), dev.ferry.digest.Digest.sha256(entries.get(layer)));
        }
        Cli.Result verify = Cli.run("verify", "docker-archive:" + written);
        assertEquals(0, verify.exitCode(), verify.toString());
    }
}
