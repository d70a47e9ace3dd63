package dev.ferry.dockerarchive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.json.Json;
import dev.ferry.testing.Cli;
import dev.ferry.testing.CraftedDockerArchive;
import dev.ferry.testing.TestImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** ferry save of several images into one archive, and ferry load of every image of one. */
@Timeout(60)
class SaveLoadTest {

    @TempDir
    Path tmp;

    static final TestImage A = TestImage.builder().docker().layer(Map.of("base", "b")).layer(Map.of("a", "1")).build();
    static final TestImage B = TestImage.builder().docker().layer(Map.of("base", "b")).layer(Map.of("b", "2")).build();

    Path source(TestImage image, String name, String... repoTags) throws IOException {
        return CraftedDockerArchive.docker24(image, repoTags).write(tmp.resolve(name + ".tar"));
    }

    static List<String> names(Path tar) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = t.getNextEntry()) != null) {
                names.add(e.getName());
            }
        }
        return names;
    }

    Path savedArchive() throws IOException {
        Path out = tmp.resolve("out.tar");
        Cli.Result save = Cli.run("save", "-q", "-o", out.toString(), "docker-archive:" + source(A, "a", "ferry/a:1", "ferry/a:latest")
                + ":ferry/a:1", "docker-archive:" + source(B, "b", "ferry/b:2") + ":ferry/b:2", "docker-archive:" + tmp.resolve("a.tar") + ":ferry/a:latest");
        assertEquals(0, save.exitCode(), save.toString());
        return out;
    }

    @Test
    void savedImagesShareTheirBaseLayerOnceAndAnImageSavedTwiceHasBothNames() throws IOException {
        Path out = savedArchive();
        List<String> names = names(out);
        String base = "blobs/sha256/" + A.layers().getFirst().digest().hex();
        assertEquals(1, names.stream().filter(base::equals).count(), names.toString());
        assertEquals("manifest.json", names.getLast());
        JsonNode manifest = Json.MAPPER.readTree(Files.readAllBytes(extract(out, "manifest.json")));
        assertEquals(2, manifest.size());
        assertEquals("[\"ferry/a:1\",\"ferry/a:latest\"]", manifest.get(0).get("RepoTags").toString());
        assertEquals("[\"ferry/b:2\"]", manifest.get(1).get("RepoTags").toString());
    }

    Path extract(Path tar, String name) throws IOException {
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = t.getNextEntry()) != null) {
                if (e.getName().equals(name)) {
                    return Files.write(tmp.resolve("extracted"), t.readAllBytes());
                }
            }
        }
        throw new AssertionError(name);
    }

    @Test
    void loadPutsEveryImageOfAnArchiveIntoALayoutOnceForEachNameByItsTag() throws IOException {
        Path out = savedArchive();
        Path layout = tmp.resolve("layout");
        Cli.Result load = Cli.run("load", "-q", out.toString(), "oci:" + layout);
        assertEquals(0, load.exitCode(), load.toString());
        for (var name : List.of(Map.entry("ferry/a:1", A), Map.entry("ferry/a:latest", A), Map.entry("ferry/b:2", B))) {
            Cli.Result config = Cli.run("inspect", "--config", "oci:" + layout + ":"
                    + name.getKey().substring(name.getKey().indexOf(':') + 1));
            assertEquals(name.getValue().config().digest(), dev.ferry.digest.Digest.sha256(config.stdoutBytes()),
                    config.toString());
        }
    }

    @Test
    void anImageWithoutRepoTagsNeedsAName() throws IOException {
        Path archive = source(A, "untagged");
        Cli.Result refused = Cli.run("load", archive.toString(), "oci:" + tmp.resolve("l"));
        assertEquals(2, refused.exitCode(), refused.toString());
        assertTrue(refused.stderr().contains("has no RepoTags: name it with --name NAME:TAG"), refused.stderr());
        Cli.Result named = Cli.run("load", "--name", "x/y:3", archive.toString(), "oci:" + tmp.resolve("l"));
        assertEquals(0, named.exitCode(), named.toString());
        Cli.Result inspect = Cli.run("inspect", "oci:" + tmp.resolve("l") + ":3");
        assertEquals(0, inspect.exitCode(), inspect.toString());
    }
}
