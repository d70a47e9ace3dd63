package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.manifest.MediaType;
import dev.ferry.testing.Blob;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What ferry does with input it cannot use: an exit code, one line on standard error, no stack trace. */
class BadInputTest {

    static final String MANIFEST = "/v2/apps/web/manifests/1.0";
    FakeRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put("apps/web", "1.0", TestImage.builder().build());
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    Cli.Result inspect(String repositoryAndReference) {
        return Cli.run("inspect", registry.ref(repositoryAndReference));
    }

    static void assertFailsCleanly(int exitCode, Cli.Result result) {
        assertEquals(exitCode, result.exitCode(), result.toString());
        assertEquals(1, result.stderr().lines().count(), "one line on stderr:\n" + result.stderr());
        assertTrue(result.stderr().startsWith("ferry: "), result.stderr());
        assertFalse(result.stderr().contains("\tat "), "no stack trace without --debug:\n" + result.stderr());
        assertEquals("", result.stdout());
    }

    @Test
    void anHtmlPageServedWithStatus200AsAManifestIsAnInvalidResponse() {
        registry.on(MANIFEST, new MockResponse.Builder().addHeader("Content-Type", "text/html")
                .body("<!DOCTYPE html>\n<html><body><h1>Welcome to our registry!</h1>\n</body></html>\n").build());

        Cli.Result result = inspect("apps/web:1.0");

        assertFailsCleanly(ExitCodes.INVALID_RESPONSE, result);
        assertTrue(result.stderr().contains("not valid JSON"), result.stderr());
    }

    @Test
    void aManifestOfTruncatedJsonIsAnInvalidResponse() {
        registry.on(MANIFEST, FakeRegistry.json(200, "{\"schemaVersion\": 2, \"config\": {"));

        assertFailsCleanly(ExitCodes.INVALID_RESPONSE, inspect("apps/web:1.0"));
    }

    @Test
    void aTokenEndpointFailingWith500ExitsWithTheGeneralFailureCodeAndSaysSo() {
        registry.tokenIssuer = registry;
        registry.on("/token", FakeRegistry.json(500, "{}"));

        Cli.Result result = inspect("apps/web:1.0");

        assertFailsCleanly(ExitCodes.FAILURE, result);
        assertTrue(result.stderr().contains("token service"), result.stderr());
        assertTrue(result.stderr().contains("HTTP 500"), result.stderr());
    }

    @Test
    void aTokenEndpointAnsweringInvalidJsonIsAnInvalidResponse() {
        registry.tokenIssuer = registry;
        registry.on("/token", FakeRegistry.json(200, "<html>login</html>"));

        Cli.Result result = inspect("apps/web:1.0");

        assertFailsCleanly(ExitCodes.INVALID_RESPONSE, result);
        assertTrue(result.stderr().contains("token service"), result.stderr());
    }

    @Test
    void aTokenEndpointAnsweringNoTokenIsAnInvalidResponse() {
        registry.tokenIssuer = registry;
        registry.on("/token", FakeRegistry.json(200, "{\"expires_in\": 300}"));

        assertFailsCleanly(ExitCodes.INVALID_RESPONSE, inspect("apps/web:1.0"));
    }

    @Test
    void aRegistryThatIsDownIsANetworkFailure() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Cli.Result result = Cli.run("inspect", "docker://127.0.0.1:" + closedPort + "/apps/web:1.0");

        assertFailsCleanly(ExitCodes.NETWORK, result);
        assertTrue(result.stderr().contains("127.0.0.1:" + closedPort), result.stderr());
    }

    @Test
    void aMalformedReferenceIsAUsageError() {
        Cli.Result result = Cli.run("inspect", "docker://" + registry.hostPort() + "/Apps/Web:1.0");

        assertFailsCleanly(ExitCodes.USAGE, result);
        assertEquals(0, registry.count("/v2/"), "nothing is asked of the registry");
    }

    @Test
    void aDigestFileInADirectoryThatDoesNotExistIsAUsageErrorBeforeAnythingMoves(@TempDir Path tmp) {
        Cli.Result result = Cli.run("pull", "--digestfile", tmp.resolve("missing/digest").toString(),
                registry.ref("apps/web:1.0"), tmp.resolve("layout").toString());

        assertFailsCleanly(ExitCodes.USAGE, result);
        assertTrue(result.stderr().contains("--digestfile"), result.stderr());
        assertEquals(0, registry.count("/v2/"), "nothing is asked of the registry");
        assertFalse(Files.exists(tmp.resolve("layout")), "no layout is created");
    }

    @Test
    void aPullWritesTheBareManifestDigestToTheDigestFile(@TempDir Path tmp) throws Exception {
        TestImage image = TestImage.builder().layer(Map.of("a.txt", "digest file\n")).build();
        registry.put("apps/digest", "2.0", image);
        Path file = tmp.resolve("digest");
        Files.writeString(file, "an older digest that is replaced\n");

        Cli.Result result = Cli.run("pull", "-q", "--digestfile", file.toString(), registry.ref("apps/digest:2.0"),
                tmp.resolve("layout").toString());

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(image.digest().toString(), Files.readString(file), "the digest alone, without a newline");
    }

    @ParameterizedTest
    @ValueSource(strings = {"index-only", "every"})
    void aMultiArchChoiceOtherThanSystemOrAllIsAUsageErrorNamingIt(String choice, @TempDir Path tmp) {
        Cli.Result result = Cli.run("pull", "--multi-arch", choice, registry.ref("apps/web:1.0"),
                tmp.resolve("layout").toString());

        assertFailsCleanly(ExitCodes.USAGE, result);
        assertTrue(result.stderr().contains("--multi-arch " + choice) || result.stderr().contains("'" + choice + "'"),
                result.stderr());
        assertEquals(0, registry.count("/v2/"), "nothing is asked of the registry");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{{range .RepoTags}}{{.}}", "{{table .Digest}}"})
    void aFormatThatDoesNotParseIsAUsageErrorBeforeAnythingIsAsked(String template) {
        Cli.Result result = Cli.run("inspect", "--format", template, registry.ref("apps/web:1.0"));

        assertFailsCleanly(ExitCodes.USAGE, result);
        assertTrue(result.stderr().startsWith("ferry: --format: "), result.stderr());
        assertEquals(0, registry.count("/v2/"), "nothing is asked of the registry");
    }

    @Test
    void formatWithRawIsAUsageError() {
        Cli.Result result = Cli.run("inspect", "--raw", "--format", "{{.Digest}}", registry.ref("apps/web:1.0"));

        assertFailsCleanly(ExitCodes.USAGE, result);
        assertTrue(result.stderr().contains("--raw"), result.stderr());
    }

    @Test
    void anArchiveInADirectoryThatDoesNotExistIsAUsageErrorBeforeAnythingMoves(@TempDir Path tmp) {
        Cli.Result result = Cli.run("copy", registry.ref("apps/web:1.0"), "oci-archive:" + tmp.resolve("no/such.tar"));

        assertFailsCleanly(ExitCodes.USAGE, result);
        assertTrue(result.stderr().contains("directory does not exist"), result.stderr());
        assertEquals(0, registry.count("/v2/"), "nothing is asked of the registry");
    }

    @Test
    void skopeosV2s2FormatIsRefusedSayingWhy(@TempDir Path tmp) {
        Cli.Result result = Cli.run("copy", "--format", "v2s2", registry.ref("apps/web:1.0"), "oci:" + tmp.resolve("l"));

        assertFailsCleanly(ExitCodes.USAGE, result);
        assertTrue(result.stderr().contains("ferry converts only to oci"), result.stderr());
        assertEquals(0, registry.count("/v2/"), "nothing is asked of the registry");
    }

    @Test
    void deletingFromARegistryThatDoesNotAllowItSaysHowToAllowIt() {
        registry.on("/v2/apps/web/manifests/" + TestImage.builder().build().digest(), request ->
                request.getMethod().equals("DELETE")
                        ? new MockResponse.Builder().code(405).addHeader("Content-Type", "application/json")
                                .body("{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"The operation is unsupported.\"}]}")
                                .build()
                        : new MockResponse.Builder().code(404).build());

        Cli.Result result = Cli.run("delete", registry.ref("apps/web@" + TestImage.builder().build().digest()));

        assertFailsCleanly(ExitCodes.FAILURE, result);
        assertTrue(result.stderr().contains("does not allow deleting") && result.stderr().contains("UNSUPPORTED"),
                result.stderr());
    }

    @Test
    void anUnknownTransportIsAUsageError() {
        Cli.Result result = Cli.run("inspect", "containers-storage:apps/web:1.0");

        assertFailsCleanly(ExitCodes.USAGE, result);
        assertTrue(result.stderr().contains("'containers-storage'") && result.stderr().contains("docker-archive:FILE"),
                result.stderr());
    }

    @Test
    void aSchema1ManifestIsUnsupportedAndSaysSo() {
        String schema1 = """
                {"schemaVersion": 1, "name": "apps/web", "tag": "old", "architecture": "amd64",
                 "fsLayers": [{"blobSum": "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"}],
                 "history": [{"v1Compatibility": "{}"}], "signatures": []}
                """;
        registry.putManifest("apps/web", "old", new Blob(MediaType.DOCKER_SCHEMA1_SIGNED, schema1.getBytes()));

        Cli.Result result = inspect("apps/web:old");

        assertFailsCleanly(ExitCodes.INVALID_RESPONSE, result);
        assertTrue(result.stderr().contains("schema 1"), result.stderr());
    }

    @Test
    void anIndexWithoutTheWantedPlatformIsNotFoundAndListsThePlatformsItHas() {
        TestImage amd64 = TestImage.builder().platform("linux", "amd64", null).build();
        TestImage arm64 = TestImage.builder().platform("linux", "arm64", "v8").build();
        Map<String, TestImage> platforms = new LinkedHashMap<>();
        platforms.put("linux/amd64", amd64);
        platforms.put("linux/arm64/v8", arm64);
        registry.put("apps/multi", amd64.digest().toString(), amd64).put("apps/multi", arm64.digest().toString(), arm64)
                .putManifest("apps/multi", "1.0", TestImage.index(MediaType.OCI_INDEX, platforms));

        Cli.Result result = Cli.run("inspect", "--override-arch", "s390x", registry.ref("apps/multi:1.0"));

        assertFailsCleanly(ExitCodes.NOT_FOUND, result);
        assertTrue(result.stderr().contains("linux/s390x"), result.stderr());
        assertTrue(result.stderr().contains("linux/amd64, linux/arm64/v8"), result.stderr());
    }

    @Test
    void debugShowsTheRequestsAndTheStackTraceButNeverThePasswordNorTheToken() {
        String password = "pw-9f2c7e1d";
        registry.tokenIssuer = registry;
        registry.requiredTokenAuthorization = FakeRegistry.basic("alice", password);

        Cli.Result result = Cli.run("--debug", "inspect", "--creds", "alice:" + password, registry.ref("apps/web:missing"));

        assertEquals(ExitCodes.NOT_FOUND, result.exitCode(), result.toString());
        String stderr = result.stderr();
        assertTrue(stderr.contains("debug: GET http://" + registry.hostPort() + "/v2/ -> 401"), stderr);
        assertTrue(stderr.contains("debug: GET http://" + registry.hostPort() + "/token?"), stderr);
        assertTrue(stderr.contains("debug: GET http://" + registry.hostPort() + "/v2/apps/web/manifests/missing -> 404"), stderr);
        assertTrue(stderr.contains("\tat "), "a stack trace with --debug:\n" + stderr);
        assertEquals(1, registry.issuedTokens().size());
        for (String secret : new String[] {password, registry.issuedTokens().getFirst(),
                Base64.getEncoder().encodeToString(("alice:" + password).getBytes())}) {
            assertFalse(stderr.contains(secret), "stderr shows a secret:\n" + stderr);
        }
    }
}
