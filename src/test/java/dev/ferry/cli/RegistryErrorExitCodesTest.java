package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The spec's error bodies, and bare statuses, as exit codes and one line on standard error. */
class RegistryErrorExitCodesTest {

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

    static void assertOneLineWithoutStackTrace(Cli.Result result) {
        assertEquals(1, result.stderr().lines().count(), result.stderr());
        assertFalse(result.stderr().contains("\tat "), result.stderr());
    }

    @Test
    void anUnknownManifestExitsNotFoundNamingTheErrorCodeAndTheReference() {
        Cli.Result result = Cli.run("inspect", registry.ref("apps/web:missing"));

        assertEquals(ExitCodes.NOT_FOUND, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("MANIFEST_UNKNOWN"), result.stderr());
        assertTrue(result.stderr().contains(registry.hostPort() + "/apps/web:missing"), result.stderr());
        assertOneLineWithoutStackTrace(result);
    }

    @Test
    void anUnknownRepositoryExitsNotFoundForListTags() {
        Cli.Result result = Cli.run("list-tags", registry.ref("apps/nothing"));

        assertEquals(ExitCodes.NOT_FOUND, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("NAME_UNKNOWN"), result.stderr());
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {401, 403})
    void aDeniedAnswerExitsUnauthorized(int status) {
        registry.on(MANIFEST, FakeRegistry.error(status, "DENIED", "requested access to the resource is denied"));

        Cli.Result result = Cli.run("inspect", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.UNAUTHORIZED, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("DENIED"), result.stderr());
        assertOneLineWithoutStackTrace(result);
    }

    @Test
    void aServerErrorExitsWithTheGeneralFailureCode() {
        registry.on(MANIFEST, FakeRegistry.json(500, "oops"));

        Cli.Result result = Cli.run("inspect", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("HTTP 500"), result.stderr());
        assertOneLineWithoutStackTrace(result);
    }

    @Test
    void aRegistryErrorMessageWithNewlinesAndEscapeSequencesStaysOneHarmlessLine() {
        registry.on(MANIFEST, FakeRegistry.error(429, "TOOMANYREQUESTS", "slow down\nferry: all good\u001b[2J\u009b31m\r"));

        Cli.Result result = Cli.run("inspect", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
        assertOneLineWithoutStackTrace(result);
        assertFalse(result.stderr().strip().chars().anyMatch(Character::isISOControl), result.stderr());
        assertTrue(result.stderr().contains("slow down"), result.stderr());
    }

    @Test
    void aForbiddenTagListOnlyEmptiesRepoTagsWithAWarning() {
        registry.on("/v2/apps/web/tags/list", FakeRegistry.error(403, "DENIED", "listing is not allowed"));

        Cli.Result result = Cli.run("inspect", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertTrue(result.stdout().contains("\"RepoTags\": []"), result.stdout());
        assertTrue(result.stderr().startsWith("warning: cannot list the tags"), result.stderr());
    }
}
