package dev.ferry.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Digest;
import dev.ferry.json.Json;
import dev.ferry.testing.Cli;
import dev.ferry.testing.CraftedDockerArchive;
import dev.ferry.testing.Layers;
import dev.ferry.testing.TestImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class HistoryTest {

    @TempDir
    Path tmp;

    @Test
    void theChainIdOfALayerHashesThePreviousChainIdASpaceAndItsDiffId() {
        Digest a = Digest.sha256("a".getBytes(StandardCharsets.UTF_8));
        Digest b = Digest.sha256("b".getBytes(StandardCharsets.UTF_8));
        List<Digest> chain = ChainIds.of(List.of(a, b));
        assertEquals(a, chain.get(0));
        assertEquals(Digest.sha256((a + " " + b).getBytes(StandardCharsets.UTF_8)), chain.get(1));
    }

    @Test
    void aLayersFileSizesAddUpAndBytesAfterItsEndOfArchiveMarkerFailItsDiffId() throws IOException {
        byte[] tar = Layers.tar(Map.of("one", "12345", "two", "678"));
        Digest diffId = Digest.sha256(tar);
        assertEquals(8, LayerFileSizes.of(new ByteArrayInputStream(Layers.gzip(tar)), diffId, "layer"));
        byte[] trailing = Arrays.copyOf(tar, tar.length + 512);
        Arrays.fill(trailing, tar.length, trailing.length, (byte) 'x');
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> LayerFileSizes.of(new ByteArrayInputStream(trailing), diffId, "layer"));
        assertTrue(e.getMessage().contains("diff_id"), e.getMessage());
    }

    @Test
    void withoutSizesTheCompressedSizeIsShownAndSaidToBeOneAndTheTopRowHasTheImageId() throws IOException {
        TestImage image = TestImage.builder().docker().layer(Map.of("a", "1")).build();
        Path archive = CraftedDockerArchive.docker24(image, "h:1").write(tmp.resolve("h.tar"));
        Cli.Result json = Cli.run("history", "--format", "json", "docker-archive:" + archive);
        assertEquals(0, json.exitCode(), json.toString());
        String[] lines = json.stdout().strip().split("\n");
        assertEquals(2, lines.length);
        JsonNode top = Json.MAPPER.readTree(lines[0]);
        assertEquals(image.config().digest().toString(), top.get("ID").asString());
        assertTrue(top.get("EmptyLayer").asBoolean());
        JsonNode layer = Json.MAPPER.readTree(lines[1]);
        assertEquals("<missing>", layer.get("ID").asString());
        assertEquals("compressed", layer.get("SizeKind").asString());
        assertEquals(image.layers().getFirst().bytes().length, layer.get("SizeBytes").asLong());
        assertEquals(image.diffIds().getFirst().toString(), layer.get("ChainID").asString());
    }

    @Test
    void theTableAlignsItsColumnsAsDockerDoesAndTheTopRowShowsTheShortImageId() throws IOException {
        TestImage image = TestImage.builder().docker().layer(Map.of("a", "1")).build();
        Path archive = CraftedDockerArchive.docker24(image, "h:1").write(tmp.resolve("h.tar"));

        Cli.Result table = Cli.run("history", "docker-archive:" + archive);

        assertEquals(0, table.exitCode(), table.toString());
        List<String> rows = table.stdout().lines().toList();
        assertEquals(3, rows.size(), table.stdout());
        assertTrue(rows.get(0).matches("IMAGE {10}CREATED {3,}CREATED BY {3,}COMPRESSED SIZE {3,}COMMENT {3,}LAYER {3,}"
                + "DIFF ID {3,}CHAIN ID"), rows.get(0));
        assertTrue(rows.get(1).startsWith(image.config().digest().hex().substring(0, 12) + "   "), rows.get(1));
        assertTrue(rows.get(2).startsWith("<missing>      "), rows.get(2));
        int created = rows.get(0).indexOf("CREATED");
        for (String row : rows.subList(1, 3)) {
            assertTrue(row.charAt(created - 1) == ' ' && row.charAt(created) != ' ', "aligned: " + row);
            assertTrue(!row.contains("\t"), "no tabs: " + row);
        }
    }

    @Test
    void aGoTemplatePrintsEachRowWithFullIds() throws IOException {
        TestImage image = TestImage.builder().docker().layer(Map.of("a", "1")).build();
        Path archive = CraftedDockerArchive.docker24(image, "h:1").write(tmp.resolve("h.tar"));

        Cli.Result result = Cli.run("history", "--format", "{{.ID}}|{{.SizeKind}}|{{.EmptyLayer}}",
                "docker-archive:" + archive);

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(image.config().digest() + "|empty|true\n<missing>|compressed|false\n", result.stdout());
    }
}
