package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.json.Json;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.HelperScript;
import dev.ferry.testing.TestImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where inspect finds its credentials when none are given on the command line: each source on a
 * registry that wants Basic auth, in an environment the test controls entirely.
 */
class CredentialSourcesTest {

    static final String USER = "bob";
    static final String PASSWORD = "hunter2-Secret";

    final TestImage image = TestImage.builder().build();
    FakeRegistry registry;
    @TempDir
    Path tmp;
    Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put("apps/web", "1.0", image);
        registry.requiredAuthorization = FakeRegistry.basic(USER, PASSWORD);
        env = new HashMap<>(Map.of("HOME", tmp.resolve("home").toString(), "PATH", tmp.resolve("bin") + ":/usr/bin:/bin"));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    static String authJson(String key, String user, String password) {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return "{\"auths\":{\"" + key + "\":{\"auth\":\"" + auth + "\"}}}";
    }

    Path write(String relative, String content) throws Exception {
        Path file = tmp.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    Cli.Result inspect(String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("inspect", "--no-tags"));
        args.addAll(List.of(options));
        args.add(registry.ref("apps/web:1.0"));
        return Cli.run(env, "", args.toArray(String[]::new));
    }

    void assertInspected(Cli.Result result) {
        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(image.digest().toString(), Json.MAPPER.readTree(result.stdout()).get("Digest").asString());
        assertTrue(registry.requests("/v2/apps/web/manifests/1.0").stream()
                .allMatch(r -> FakeRegistry.basic(USER, PASSWORD).equals(r.getHeaders().get("Authorization"))));
    }

    @Test
    void anAuthfileGivesTheCredentials() throws Exception {
        Path file = write("elsewhere/auth.json", authJson(registry.hostPort(), USER, PASSWORD));

        assertInspected(inspect("--authfile", file.toString()));
    }

    @Test
    void registryAuthFileGivesTheCredentials() throws Exception {
        env.put("REGISTRY_AUTH_FILE", write("env/auth.json", authJson(registry.hostPort(), USER, PASSWORD)).toString());

        assertInspected(inspect());
    }

    @Test
    void theRuntimeAuthFileGivesTheCredentials() throws Exception {
        write("run/containers/auth.json", authJson(registry.hostPort(), USER, PASSWORD));
        env.put("XDG_RUNTIME_DIR", tmp.resolve("run").toString());

        assertInspected(inspect());
    }

    @Test
    void dockersConfigUnderHomeOrDockerConfigGivesTheCredentials() throws Exception {
        write("home/.docker/config.json", authJson("https://" + registry.hostPort() + "/v1/", USER, PASSWORD));
        assertInspected(inspect());

        write("docker-config/config.json", authJson(registry.hostPort(), USER, PASSWORD));
        write("home/.docker/config.json", authJson(registry.hostPort(), USER, "stale"));
        env.put("DOCKER_CONFIG", tmp.resolve("docker-config").toString());
        assertInspected(inspect());
    }

    @Test
    void theRuntimeFileWinsOverDockersConfig() throws Exception {
        write("run/containers/auth.json", authJson(registry.hostPort(), USER, PASSWORD));
        write("home/.docker/config.json", authJson(registry.hostPort(), USER, "wrong-Stale"));
        env.put("XDG_RUNTIME_DIR", tmp.resolve("run").toString());

        assertInspected(inspect());
    }

    @Test
    void anAuthfileIsTheOnlyFileReadAsInSkopeo() throws Exception {
        Path file = write("elsewhere/auth.json", "{}");
        write("home/.docker/config.json", authJson(registry.hostPort(), USER, PASSWORD));

        Cli.Result result = inspect("--authfile", file.toString());

        assertEquals(ExitCodes.UNAUTHORIZED, result.exitCode(), result.toString());
    }

    @Test
    void credsWinOverEveryFile() throws Exception {
        write("home/.docker/config.json", authJson(registry.hostPort(), USER, "wrong-Stale"));

        assertInspected(inspect("--creds", USER + ":" + PASSWORD));
    }

    @Test
    void aCredentialHelperNamedInCredHelpersIsAskedOnceAndItsAnswerNeverPrinted() throws Exception {
        HelperScript helper = HelperScript.create(tmp.resolve("bin"), "test",
                Map.of(registry.hostPort(), List.of(USER, PASSWORD)));
        write("home/.docker/config.json", "{\"credHelpers\":{\"" + registry.hostPort() + "\":\"test\"}}");

        Cli.Result result = Cli.run(env, "", "--debug", "inspect", registry.ref("apps/web:1.0"));

        assertInspected(result);
        assertEquals(List.of(registry.hostPort()), helper.calls(), "one run however many requests");
        assertFalse(result.stderr().contains(PASSWORD) || result.stdout().contains(PASSWORD), result.toString());
    }

    @Test
    void aCredsStoreHelperGivesTheCredentials() throws Exception {
        HelperScript helper = HelperScript.create(tmp.resolve("bin"), "store",
                Map.of(registry.hostPort(), List.of(USER, PASSWORD)));
        write("home/.docker/config.json", "{\"auths\":{\"" + registry.hostPort() + "\":{}},\"credsStore\":\"store\"}");

        assertInspected(inspect());
        assertEquals(List.of(registry.hostPort()), helper.calls());
    }

    @Test
    void noHelperRunsForARegistryThatAsksForNoCredentials() throws Exception {
        registry.requiredAuthorization = null;
        HelperScript helper = HelperScript.create(tmp.resolve("bin"), "store",
                Map.of(registry.hostPort(), List.of(USER, PASSWORD)));
        write("home/.docker/config.json", "{\"credsStore\":\"store\"}");

        Cli.Result result = Cli.run(env, "", "inspect", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(List.of(), helper.calls());
    }

    @Test
    void aFailingHelperIsReportedInOneLineNamingIt() throws Exception {
        HelperScript.create(tmp.resolve("bin"), "broken", "echo 'cannot reach the keychain daemon'; exit 1\n");
        write("home/.docker/config.json", "{\"credsStore\":\"broken\"}");

        Cli.Result result = inspect();

        assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
        assertEquals(1, result.stderr().lines().count(), result.stderr());
        assertTrue(result.stderr().contains("docker-credential-broken failed for " + registry.hostPort()), result.stderr());
        assertTrue(result.stderr().contains("cannot reach the keychain daemon"), result.stderr());
    }

    @Test
    void aMissingHelperIsReportedWithTheFileThatNamesIt() throws Exception {
        Path config = write("home/.docker/config.json", "{\"credsStore\":\"desktop\"}");

        Cli.Result result = inspect();

        assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("docker-credential-desktop (credsStore in " + config + ") is not installed"),
                result.stderr());
    }

    @Test
    void wrongStoredCredentialsExitUnauthorizedWithoutEchoingThem() throws Exception {
        Path file = write("auth.json", authJson(registry.hostPort(), USER, "wrong-Passw0rd"));

        Cli.Result result = Cli.run(env, "", "--debug", "inspect", "--authfile", file.toString(), registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.UNAUTHORIZED, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("ferry login"), result.stderr());
        assertFalse(result.stderr().contains("wrong-Passw0rd"), result.stderr());
    }

    @Test
    void anIdentityTokenIsExchangedAtTheTokenService() throws Exception {
        registry.requiredAuthorization = null;
        registry.tokenIssuer = registry;
        registry.requiredRefreshToken = "refresh-Secret-123";
        String auth = Base64.getEncoder().encodeToString("alice:".getBytes(StandardCharsets.UTF_8));
        Path file = write("auth.json", "{\"auths\":{\"" + registry.hostPort() + "\":{\"auth\":\"" + auth
                + "\",\"identitytoken\":\"refresh-Secret-123\"}}}");

        Cli.Result ok = Cli.run(env, "", "--debug", "inspect", "--authfile", file.toString(), registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.OK, ok.exitCode(), ok.toString());
        assertEquals("POST", registry.requests("/token").getFirst().getMethod());
        assertFalse(ok.stderr().contains("refresh-Secret-123"), ok.stderr());

        registry.requiredRefreshToken = "rotated";
        Cli.Result refused = Cli.run(env, "", "inspect", "--authfile", file.toString(), registry.ref("apps/web:1.0"));
        assertEquals(ExitCodes.UNAUTHORIZED, refused.exitCode(), refused.toString());
        assertTrue(refused.stderr().contains("identity token"), refused.stderr());
    }

    @Test
    void aUserWithoutPasswordAndWithoutATerminalIsAUsageError() {
        Cli.Result result = inspect("--creds", USER);

        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("no password given for bob in --creds and no terminal"), result.stderr());
        assertEquals(0, registry.count("/v2/"), "nothing is sent");
    }

    @Test
    void aMissingAuthfileOrCertDirIsAUsageError() {
        Cli.Result authfile = inspect("--authfile", tmp.resolve("nope.json").toString());
        Cli.Result certDir = inspect("--cert-dir", tmp.resolve("nope").toString());

        assertEquals(ExitCodes.USAGE, authfile.exitCode(), authfile.toString());
        assertTrue(authfile.stderr().contains("nope.json does not exist"), authfile.stderr());
        assertEquals(ExitCodes.USAGE, certDir.exitCode(), certDir.toString());
    }

    @Test
    void listTagsAndPullReadTheSameSources() throws Exception {
        write("home/.docker/config.json", authJson(registry.hostPort(), USER, PASSWORD));

        Cli.Result tags = Cli.run(env, "", "list-tags", "docker://" + registry.hostPort() + "/apps/web");
        Cli.Result pull = Cli.run(env, "", "pull", "-q", registry.ref("apps/web:1.0"), tmp.resolve("layout").toString());

        assertEquals(ExitCodes.OK, tags.exitCode(), tags.toString());
        assertEquals(ExitCodes.OK, pull.exitCode(), pull.toString());
        dev.ferry.testing.LayoutAssertions.assertEveryReferencedBlobVerifies(tmp.resolve("layout"));
    }
    @Test
    void noCredsReadsNoStoredCredentialsSoAStalePasswordDoesNotSpoilAPublicImage() throws Exception {
        // As Docker Hub: anonymous tokens for public images, but wrong credentials are refused.
        registry.requiredAuthorization = null;
        registry.tokenIssuer = registry;
        registry.requiredTokenAuthorization = FakeRegistry.basic(USER, PASSWORD);
        registry.anonymousTokens = true;
        write("home/.docker/config.json", authJson(registry.hostPort(), USER, "stale-Password"));

        Cli.Result stale = inspect();
        assertEquals(ExitCodes.UNAUTHORIZED, stale.exitCode(), stale.toString());

        int before = registry.count("/token");
        Cli.Result anonymous = inspect("--no-creds");
        assertEquals(ExitCodes.OK, anonymous.exitCode(), anonymous.toString());
        assertEquals(image.digest().toString(), Json.MAPPER.readTree(anonymous.stdout()).get("Digest").asString());
        List<String> sent = registry.requests("/token").stream().skip(before)
                .map(r -> String.valueOf(r.getHeaders().get("Authorization"))).toList();
        assertFalse(sent.isEmpty(), "an anonymous token was asked for");
        assertTrue(sent.stream().allMatch("null"::equals), "no credentials sent with --no-creds: " + sent);
    }

    @Test
    void credsWithNoCredsIsAUsageErrorOnOneLine() {
        Cli.Result result = inspect("--no-creds", "--creds", USER + ":" + PASSWORD);

        BadInputTest.assertFailsCleanly(ExitCodes.USAGE, result);
        assertTrue(result.stderr().contains("--creds and --no-creds"), result.stderr());
        assertEquals(0, registry.count("/v2/"), "nothing is asked of the registry");
    }

    /** A registry whose token service wants Basic credentials, and a token it issued for pulling apps/web. */
    String tokenIssuedForPulling() throws Exception {
        registry.requiredAuthorization = null;
        registry.tokenIssuer = registry;
        registry.requiredTokenAuthorization = FakeRegistry.basic(USER, PASSWORD);
        okhttp3.Request request = new okhttp3.Request.Builder()
                .url(registry.url("/token").newBuilder().addQueryParameter("service", FakeRegistry.SERVICE)
                        .addQueryParameter("scope", "repository:apps/web:pull").build())
                .header("Authorization", FakeRegistry.basic(USER, PASSWORD)).build();
        try (okhttp3.Response response = new okhttp3.OkHttpClient().newCall(request).execute()) {
            assertEquals(200, response.code());
            return Json.MAPPER.readTree(response.body().string()).get("token").asString();
        }
    }

    @Test
    void aRegistryTokenIsSentAsItIsWithoutAskingTheTokenService() throws Exception {
        String token = tokenIssuedForPulling();
        int before = registry.count("/token");

        Cli.Result result = inspect("--registry-token", token);

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(image.digest().toString(), Json.MAPPER.readTree(result.stdout()).get("Digest").asString());
        assertEquals(before, registry.count("/token"), "the token service is not asked");
        assertTrue(registry.requests("/v2/apps/web/manifests/1.0").stream()
                .allMatch(r -> ("Bearer " + token).equals(r.getHeaders().get("Authorization"))));
    }

    @Test
    void aRefusedRegistryTokenExitsWithFourAndIsNeverPrinted() throws Exception {
        tokenIssuedForPulling();
        String token = "not-a-token-the-registry-issued-s3cret";
        int before = registry.count("/token");

        Cli.Result result = Cli.run(env, "", "--debug", "inspect", "--no-tags", "--registry-token", token,
                registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.UNAUTHORIZED, result.exitCode(), result.toString());
        assertFalse(result.stderr().contains(token) || result.stdout().contains(token), "the token is never printed");
        assertEquals(before, registry.count("/token"), "the token service is not asked");
    }

    @Test
    void aRegistryTokenWithCredsIsAUsageError() {
        Cli.Result result = inspect("--registry-token", "t0ken", "--creds", USER + ":" + PASSWORD);

        BadInputTest.assertFailsCleanly(ExitCodes.USAGE, result);
        assertTrue(result.stderr().contains("--registry-token and --creds"), result.stderr());
    }
}
