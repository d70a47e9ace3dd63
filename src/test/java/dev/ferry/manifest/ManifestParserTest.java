package dev.ferry.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestParserTest {

    private static final String SUBJECT = "example.com/app:1";
    private static final String CONFIG = "sha256:" + "c".repeat(64);
    private static final String LAYER1 = "sha256:" + "1".repeat(64);
    private static final String LAYER2 = "sha256:" + "2".repeat(64);
    private static final String AMD64 = "sha256:" + "a".repeat(64);
    private static final String ARM64 = "sha256:" + "b".repeat(64);

    private static final String OCI_INDEX = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.oci.image.index.v1+json",
              "manifests": [
                {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%s", "size": 1000,
                 "platform": {"architecture": "amd64", "os": "linux"}},
                {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%s", "size": 1001,
                 "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}}
              ],
              "annotations": {"org.opencontainers.image.ref.name": "1"}
            }
            """.formatted(AMD64, ARM64);

    private static final String DOCKER_LIST = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
              "manifests": [
                {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "digest": "%s", "size": 528,
                 "platform": {"architecture": "amd64", "os": "linux"}},
                {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "digest": "%s", "size": 529,
                 "platform": {"architecture": "arm", "os": "linux", "variant": "v7"}}
              ]
            }
            """.formatted(AMD64, ARM64);

    private static final String OCI_MANIFEST = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "%s", "size": 700},
              "layers": [
                {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "%s", "size": 1234},
                {"mediaType": "application/vnd.oci.image.layer.v1.tar+zstd", "digest": "%s", "size": 5678,
                 "annotations": {"org.example.note": "second"}}
              ],
              "annotations": {"org.opencontainers.image.created": "2024-05-01T12:30:00Z"}
            }
            """.formatted(CONFIG, LAYER1, LAYER2);

    private static final String DOCKER_MANIFEST = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
              "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "digest": "%s", "size": 1469},
              "layers": [
                {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "digest": "%s", "size": 2811},
                {"mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", "digest": "%s",
                 "size": 99, "urls": ["https://example.com/layer"]}
              ]
            }
            """.formatted(CONFIG, LAYER1, LAYER2);

    /** The OCI manifest as umoci writes it: no mediaType in the body. */
    private static final String OCI_MANIFEST_WITHOUT_TYPE = OCI_MANIFEST
            .replace("\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",\n", "");
    private static final String OCI_INDEX_WITHOUT_TYPE = OCI_INDEX
            .replace("\"mediaType\": \"application/vnd.oci.image.index.v1+json\",\n", "");

    private static final String SCHEMA1 = """
            {"schemaVersion": 1, "name": "library/app", "tag": "1", "architecture": "amd64",
             "fsLayers": [{"blobSum": "%s"}], "history": [{"v1Compatibility": "{}"}]}
            """.formatted(LAYER1);

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static Manifest parse(String json, String contentType) throws ManifestException {
        return ManifestParser.parse(SUBJECT, bytes(json), contentType);
    }

    @Test
    void anOciIndexListsItsPlatformManifests() throws ManifestException {
        ImageIndex index = assertInstanceOf(ImageIndex.class, parse(OCI_INDEX, MediaType.OCI_INDEX.value()));
        assertEquals(MediaType.OCI_INDEX, index.mediaType());
        assertEquals(List.of(Digest.parse(AMD64), Digest.parse(ARM64)),
                index.manifests().stream().map(Descriptor::digest).toList());
        assertEquals(new Platform("linux", "arm64", "v8"), index.manifests().get(1).platform());
        assertEquals(1001, index.manifests().get(1).size());
        assertEquals(MediaType.OCI_MANIFEST.value(), index.manifests().get(0).mediaType());
        assertEquals(Map.of("org.opencontainers.image.ref.name", "1"), index.annotations());
    }

    @Test
    void aDockerManifestListIsAnIndex() throws ManifestException {
        ImageIndex index = assertInstanceOf(ImageIndex.class, parse(DOCKER_LIST, null));
        assertEquals(MediaType.DOCKER_MANIFEST_LIST, index.mediaType());
        assertEquals(2, index.manifests().size());
        assertEquals(new Platform("linux", "arm", "v7"), index.manifests().get(1).platform());
        assertEquals(Map.of(), index.annotations());
    }

    @Test
    void anOciManifestHasItsConfigAndLayers() throws ManifestException {
        ImageManifest manifest = assertInstanceOf(ImageManifest.class,
                parse(OCI_MANIFEST, MediaType.OCI_MANIFEST.value()));
        assertEquals(MediaType.OCI_MANIFEST, manifest.mediaType());
        assertEquals(new Descriptor(MediaType.OCI_CONFIG, Digest.parse(CONFIG), 700), manifest.config());
        assertEquals(List.of(
                new Descriptor(LayerMediaTypes.OCI_GZIP, Digest.parse(LAYER1), 1234),
                new Descriptor(LayerMediaTypes.OCI_ZSTD, Digest.parse(LAYER2), 5678)
                        .withAnnotations(Map.of("org.example.note", "second"))),
                manifest.layers());
        assertEquals("2024-05-01T12:30:00Z", manifest.annotations().get("org.opencontainers.image.created"));
    }

    @Test
    void aDockerSchema2ManifestHasItsConfigAndLayers() throws ManifestException {
        ImageManifest manifest = assertInstanceOf(ImageManifest.class, parse(DOCKER_MANIFEST, null));
        assertEquals(MediaType.DOCKER_MANIFEST, manifest.mediaType());
        assertEquals(MediaType.DOCKER_CONFIG, manifest.config().mediaType());
        assertEquals(1469, manifest.config().size());
        assertEquals(2, manifest.layers().size());
        Descriptor foreign = manifest.layers().get(1);
        assertTrue(LayerMediaTypes.isForeign(foreign.mediaType()));
        assertEquals(List.of("https://example.com/layer"), foreign.urls());
    }

    static Stream<Arguments> kindsFromHeaderOrShape() {
        // body, Content-Type, expected kind
        return Stream.of(
                Arguments.of(OCI_MANIFEST_WITHOUT_TYPE, MediaType.OCI_MANIFEST.value(), MediaType.OCI_MANIFEST),
                Arguments.of(OCI_MANIFEST_WITHOUT_TYPE, MediaType.DOCKER_MANIFEST.value(), MediaType.DOCKER_MANIFEST),
                Arguments.of(OCI_MANIFEST_WITHOUT_TYPE, MediaType.OCI_MANIFEST.value() + "; charset=utf-8",
                        MediaType.OCI_MANIFEST),
                Arguments.of(OCI_INDEX_WITHOUT_TYPE, MediaType.OCI_INDEX.value(), MediaType.OCI_INDEX),
                Arguments.of(OCI_INDEX_WITHOUT_TYPE, MediaType.DOCKER_MANIFEST_LIST.value(),
                        MediaType.DOCKER_MANIFEST_LIST),
                Arguments.of(OCI_MANIFEST_WITHOUT_TYPE, null, MediaType.OCI_MANIFEST),
                Arguments.of(OCI_MANIFEST_WITHOUT_TYPE, "application/json", MediaType.OCI_MANIFEST),
                Arguments.of(OCI_INDEX_WITHOUT_TYPE, null, MediaType.OCI_INDEX),
                Arguments.of(OCI_INDEX_WITHOUT_TYPE, "text/plain; charset=utf-8", MediaType.OCI_INDEX),
                // The body's own mediaType wins over the header.
                Arguments.of(DOCKER_MANIFEST, MediaType.OCI_MANIFEST.value(), MediaType.DOCKER_MANIFEST));
    }

    @ParameterizedTest(name = "[{index}] Content-Type {1}")
    @MethodSource("kindsFromHeaderOrShape")
    void withoutAMediaTypeInTheBodyTheHeaderThenTheShapeDecides(String body, String contentType, MediaType kind)
            throws ManifestException {
        Manifest manifest = parse(body, contentType);
        assertEquals(kind, manifest.mediaType());
        assertEquals(kind.isIndex(), manifest instanceof ImageIndex);
    }

    static Stream<Arguments> unsupportedManifests() {
        // body, Content-Type, a fragment the message must contain
        return Stream.of(
                Arguments.of(SCHEMA1, MediaType.DOCKER_SCHEMA1_SIGNED, "schema 1 manifests are not supported"),
                Arguments.of(SCHEMA1, null, "schema 1 manifests are not supported"),
                Arguments.of(SCHEMA1, MediaType.OCI_MANIFEST.value(), "schema 1 manifests are not supported"),
                Arguments.of("{\"name\": \"library/app\", \"fsLayers\": []}", MediaType.DOCKER_SCHEMA1_SIGNED,
                        "schema 1 manifests are not supported"),
                Arguments.of("{\"name\": \"library/app\", \"fsLayers\": []}", MediaType.DOCKER_SCHEMA1,
                        "schema 1 manifests are not supported"),
                Arguments.of("{\"name\": \"library/app\", \"fsLayers\": []}",
                        MediaType.DOCKER_SCHEMA1_SIGNED + "; charset=utf-8", "schema 1 manifests are not supported"),
                Arguments.of("{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.example.thing+json\"}", null,
                        "unsupported manifest media type 'application/vnd.example.thing+json'"),
                Arguments.of("{\"schemaVersion\": 2, \"mediaType\": \"" + MediaType.OCI_CONFIG + "\"}", null,
                        "unsupported manifest media type '" + MediaType.OCI_CONFIG + "'"),
                Arguments.of("{\"schemaVersion\": 2}", "application/vnd.example.thing+json",
                        "unsupported manifest media type 'application/vnd.example.thing+json'"),
                Arguments.of("{}", null, "unsupported manifest media type"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("unsupportedManifests")
    void manifestsOfOtherKindsAreUnsupported(String body, String contentType, String reason) {
        ManifestException e = assertThrows(ManifestException.class, () -> parse(body, contentType));
        assertTrue(e.unsupported(), "unsupported()");
        assertEquals(SUBJECT, e.subject());
        assertTrue(e.getMessage().contains(reason), () -> "message '" + e.getMessage() + "' lacks '" + reason + "'");
    }

    static Stream<Arguments> invalidManifests() {
        // body, a fragment the message must contain
        return Stream.of(
                Arguments.of("", "not a JSON object"),
                Arguments.of("  \n", "not a JSON object"),
                Arguments.of("{\"schemaVersion\": 2,", "not valid JSON"),
                Arguments.of("not json", "not valid JSON"),
                Arguments.of("[]", "not a JSON object"),
                Arguments.of("[" + OCI_MANIFEST + "]", "not a JSON object"),
                Arguments.of("\"a string\"", "not a JSON object"),
                Arguments.of("null", "not a JSON object"),
                Arguments.of(OCI_MANIFEST.replace(LAYER1, "sha256:" + "1".repeat(63)),
                        "invalid digest 'sha256:" + "1".repeat(63) + "'"),
                Arguments.of(OCI_MANIFEST.replace(LAYER1, "sha256:../../etc/passwd"),
                        "invalid digest 'sha256:../../etc/passwd'"),
                Arguments.of(OCI_MANIFEST.replace(CONFIG, "md5:abc"), "unsupported digest algorithm 'md5'"),
                Arguments.of(OCI_INDEX.replace(ARM64, "SHA256:" + "b".repeat(64)), "invalid digest"),
                Arguments.of(OCI_MANIFEST.replace("\"digest\": \"" + LAYER2 + "\",", ""), "has no digest"),
                Arguments.of(OCI_MANIFEST.replace("\"digest\": \"" + CONFIG + "\",", ""), "has no digest"),
                Arguments.of(OCI_MANIFEST.replace("\"size\": 1234", "\"size\": -1"), "negative size"),
                Arguments.of(OCI_INDEX.replace("\"digest\": \"" + ARM64 + "\",", ""), "has no digest"),
                Arguments.of(OCI_INDEX.replace("\"size\": 1001", "\"size\": -1001"), "negative size"),
                Arguments.of("{\"mediaType\": \"" + MediaType.OCI_INDEX.value() + "\", \"manifests\": [null]}",
                        "has no digest"),
                Arguments.of(OCI_MANIFEST.replace("\"size\": 1234", "\"size\": \"big\""), "malformed manifest"),
                Arguments.of(OCI_MANIFEST.replaceFirst("\"config\": \\{[^}]*},", ""), "no config descriptor"),
                Arguments.of("{\"mediaType\": \"" + MediaType.OCI_MANIFEST.value() + "\", \"config\": null}",
                        "no config descriptor"),
                Arguments.of("{\"mediaType\": \"" + MediaType.OCI_MANIFEST.value() + "\", \"config\": {\"digest\": \""
                        + CONFIG + "\", \"size\": 1}, \"layers\": {\"digest\": \"" + LAYER1 + "\"}}", "malformed manifest"),
                Arguments.of("{\"mediaType\": \"" + MediaType.OCI_INDEX.value() + "\", \"manifests\": \"none\"}",
                        "malformed manifest"),
                Arguments.of(OCI_INDEX.replace("\"org.opencontainers.image.ref.name\": \"1\"", "\"n\": {\"x\": 1}"),
                        "malformed manifest"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("invalidManifests")
    void malformedManifestsAreInvalidWithAClearMessage(String body, String reason) {
        ManifestException e = assertThrows(ManifestException.class, () -> parse(body, null));
        assertFalse(e.unsupported(), "unsupported()");
        assertEquals(SUBJECT, e.subject());
        assertTrue(e.getMessage().startsWith(SUBJECT + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), () -> "message '" + e.getMessage() + "' lacks '" + reason + "'");
        assertFalse(e.getMessage().contains("\n"), () -> "message spans lines: " + e.getMessage());
    }

    @Test
    void unknownFieldsAreTolerated() throws ManifestException {
        String extended = OCI_MANIFEST
                .replace("\"schemaVersion\": 2,", "\"schemaVersion\": 2, \"artifactType\": \"application/x-future\","
                        + " \"subject\": {\"mediaType\": \"x\", \"digest\": \"" + AMD64 + "\", \"size\": 1},"
                        + " \"futureField\": {\"nested\": [1, 2, 3]},")
                .replace("\"size\": 1234", "\"size\": 1234, \"data\": \"e30=\", \"newThing\": true");
        ImageManifest manifest = assertInstanceOf(ImageManifest.class, parse(extended, null));
        assertEquals(1234, manifest.layers().getFirst().size());
        assertEquals(2, manifest.layers().size());
    }

    @Test
    void theDigestIsOverTheRawBytes() throws ManifestException {
        String compact = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX.value() + "\",\"manifests\":[]}";
        String spaced = "{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"" + MediaType.OCI_INDEX.value()
                + "\",\n  \"manifests\": []\n}\n";
        Manifest a = parse(compact, null);
        Manifest b = parse(spaced, null);
        assertEquals(Digest.sha256(bytes(compact)), a.digest());
        assertEquals(Digest.sha256(bytes(spaced)), b.digest());
        assertNotEquals(a.digest(), b.digest());
        assertArrayEquals(bytes(spaced), b.raw());
    }

    @Test
    void theDescriptorOfAManifestPointsAtItsRawBytes() throws ManifestException {
        Manifest manifest = parse(DOCKER_MANIFEST, null);
        Descriptor descriptor = manifest.descriptor();
        assertEquals(MediaType.DOCKER_MANIFEST.value(), descriptor.mediaType());
        assertEquals(Digest.sha256(bytes(DOCKER_MANIFEST)), descriptor.digest());
        assertEquals(bytes(DOCKER_MANIFEST).length, descriptor.size());
    }

    @Test
    void aDigestComputedByTheCallerIsKept() throws ManifestException {
        Digest sha512 = Digest.parse("sha512:" + "0".repeat(128)).computeOver(bytes(OCI_MANIFEST));
        assertEquals(sha512, ManifestParser.parse(SUBJECT, bytes(OCI_MANIFEST), null, sha512).digest());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ", \"manifests\": null", ", \"manifests\": []"})
    void anIndexWithoutManifestsIsEmpty(String manifests) throws ManifestException {
        ImageIndex index = assertInstanceOf(ImageIndex.class,
                parse("{\"mediaType\": \"" + MediaType.OCI_INDEX.value() + "\"" + manifests + "}", null));
        assertEquals(List.of(), index.manifests());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ", \"layers\": null", ", \"layers\": []"})
    void aManifestWithoutLayersHasNone(String layers) throws ManifestException {
        ImageManifest manifest = assertInstanceOf(ImageManifest.class,
                parse("{\"mediaType\": \"" + MediaType.OCI_MANIFEST.value() + "\", \"config\": {\"digest\": \""
                        + CONFIG + "\", \"size\": 2}" + layers + "}", null));
        assertEquals(List.of(), manifest.layers());
        assertEquals(Digest.parse(CONFIG), manifest.config().digest());
    }

    private static String entries(int count, String entry) {
        return String.join(",", java.util.Collections.nCopies(count, entry));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, ManifestParser.MAX_INDEX_ENTRIES})
    void anIndexUpToTheEntryLimitIsRead(int count) throws ManifestException {
        ImageIndex index = assertInstanceOf(ImageIndex.class, parse("{\"mediaType\": \"" + MediaType.OCI_INDEX.value()
                + "\", \"manifests\": [" + entries(count, "{\"digest\": \"" + AMD64 + "\", \"size\": 2}") + "]}", null));
        assertEquals(count, index.manifests().size());
    }

    @Test
    void anIndexOverTheEntryLimitIsInvalidAndSaysHowManyItLists() {
        String body = "{\"mediaType\": \"" + MediaType.OCI_INDEX.value() + "\", \"manifests\": ["
                + entries(ManifestParser.MAX_INDEX_ENTRIES + 1, "{\"digest\": \"" + AMD64 + "\", \"size\": 2}") + "]}";
        ManifestException e = assertThrows(ManifestException.class, () -> parse(body, null));
        assertFalse(e.unsupported());
        assertEquals(SUBJECT + ": the manifest lists 1001 entries, more than the 1000 ferry accepts in an index",
                e.getMessage());
    }

    @Test
    void aManifestOverTheLayerLimitIsInvalidAndSaysHowManyItLists() {
        String body = "{\"mediaType\": \"" + MediaType.OCI_MANIFEST.value() + "\", \"config\": {\"digest\": \""
                + CONFIG + "\", \"size\": 2}, \"layers\": ["
                + entries(ManifestParser.MAX_LAYERS + 1, "{\"digest\": \"" + CONFIG + "\", \"size\": 2}") + "]}";
        ManifestException e = assertThrows(ManifestException.class, () -> parse(body, null));
        assertEquals(SUBJECT + ": the manifest lists 1001 layers, more than the 1000 ferry accepts in an image manifest",
                e.getMessage());
    }
}
