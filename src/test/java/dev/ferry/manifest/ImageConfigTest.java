package dev.ferry.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageConfigTest {

    private static final String DIFF1 = "sha256:" + "d".repeat(64);
    private static final String DIFF2 = "sha256:" + "e".repeat(64);

    private static final String CONFIG = """
            {
              "architecture": "arm",
              "os": "linux",
              "variant": "v7",
              "created": "2024-05-01T12:30:00.120000000Z",
              "author": "someone@example.com",
              "docker_version": "24.0.7",
              "config": {
                "Env": ["PATH=/usr/local/bin:/usr/bin", "LANG=C.UTF-8"],
                "Labels": {"org.opencontainers.image.title": "app", "empty": ""},
                "Cmd": ["/app"],
                "ExposedPorts": {"8080/tcp": {}}
              },
              "rootfs": {"type": "layers", "diff_ids": ["%s", "%s"]},
              "history": [
                {"created": "2024-05-01T12:00:00Z", "created_by": "ADD rootfs.tar /", "comment": "base"},
                {"created": "2024-05-01T12:10:00Z", "created_by": "ENV LANG=C.UTF-8", "empty_layer": true},
                {"created": "2024-05-01T12:20:00Z", "created_by": "COPY app /app", "author": "ci", "empty_layer": false}
              ],
              "container_config": {"Hostname": "abc"},
              "moby.buildkit.buildinfo.v1": "e30="
            }
            """.formatted(DIFF1, DIFF2);

    private static ImageConfig parse(String json) throws ManifestException {
        return ImageConfig.parse("config", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theFieldsFerryShowsAreRead() throws ManifestException {
        ImageConfig config = parse(CONFIG);
        assertEquals("arm", config.architecture());
        assertEquals("linux", config.os());
        assertEquals("v7", config.variant());
        assertEquals("2024-05-01T12:30:00.120000000Z", config.created());
        assertEquals("someone@example.com", config.author());
        assertEquals("24.0.7", config.dockerVersion());
    }

    @Test
    void diffIdsAreDigestsInLayerOrder() throws ManifestException {
        ImageConfig config = parse(CONFIG);
        assertEquals(List.of(Digest.parse(DIFF1), Digest.parse(DIFF2)), config.diffIds());
        assertEquals("layers", config.rootfs().type());
    }

    @Test
    void envAndLabelsAreRead() throws ManifestException {
        ImageConfig.Container container = parse(CONFIG).config();
        assertEquals(List.of("PATH=/usr/local/bin:/usr/bin", "LANG=C.UTF-8"), container.env());
        assertEquals(Map.of("org.opencontainers.image.title", "app", "empty", ""), container.labels());
    }

    @Test
    void historyKeepsEmptyLayerMarkers() throws ManifestException {
        List<ImageConfig.History> history = parse(CONFIG).history();
        assertEquals(3, history.size());
        assertEquals(List.of(false, true, false), history.stream().map(ImageConfig.History::emptyLayer).toList());
        assertEquals("ADD rootfs.tar /", history.get(0).createdBy());
        assertEquals("base", history.get(0).comment());
        assertEquals("ci", history.get(2).author());
        assertEquals("2024-05-01T12:10:00Z", history.get(1).created());
    }

    @Test
    void aMinimalConfigHasEmptyDefaults() throws ManifestException {
        ImageConfig config = parse("{\"architecture\": \"amd64\", \"os\": \"linux\"}");
        assertEquals(List.of(), config.diffIds());
        assertEquals(List.of(), config.history());
        assertNull(config.config());
        assertNull(config.created());
    }

    @Test
    void aRootfsWithoutDiffIdsHasNone() throws ManifestException {
        assertEquals(List.of(), parse("{\"rootfs\": {\"type\": \"layers\"}}").diffIds());
    }

    @Test
    void unknownFieldsAreTolerated() throws ManifestException {
        ImageConfig config = parse("{\"os\": \"linux\", \"future\": {\"a\": [1, {\"b\": null}]}, "
                + "\"history\": [{\"created_by\": \"x\", \"new_field\": 1}]}");
        assertEquals("linux", config.os());
        assertEquals("x", config.history().getFirst().createdBy());
        assertFalse(config.history().getFirst().emptyLayer());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "null                                            | the image config is empty",
            "not json                                        | malformed image config",
            "[]                                              | malformed image config",
            "{\"rootfs\": {\"diff_ids\": [\"sha256:abc\"]}}  | invalid digest 'sha256:abc'",
            "{\"history\": {\"created_by\": \"x\"}}          | malformed image config",
    })
    void malformedConfigsAreInvalid(String json, String reason) {
        ManifestException e = assertThrows(ManifestException.class,
                () -> ImageConfig.parse("config sha256:1234", json.getBytes(StandardCharsets.UTF_8)));
        assertFalse(e.unsupported());
        assertEquals("config sha256:1234", e.subject());
        assertTrue(e.getMessage().contains(reason), () -> "message '" + e.getMessage() + "' lacks '" + reason + "'");
    }
}
