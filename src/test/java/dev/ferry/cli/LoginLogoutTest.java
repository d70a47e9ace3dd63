package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.json.Json;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** login checks the credentials, then stores them where inspect finds them; logout removes them. */
class LoginLogoutTest {

    static final String USER = "bob";
    static final String PASSWORD = "hunter2-Secret";

    FakeRegistry registry;
    @TempDir
    Path tmp;
    Map<String, String> env;
    Path runtimeFile;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put("apps/web", "1.0", TestImage.builder().build());
        registry.requiredAuthorization = FakeRegistry.basic(USER, PASSWORD);
        env = new HashMap<>(Map.of("HOME", tmp.resolve("home").toString(), "XDG_RUNTIME_DIR", tmp.resolve("run").toString()));
        runtimeFile = tmp.resolve("run/containers/auth.json");
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    Cli.Result login(String password, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("login", "--username", USER, "--password-stdin"));
        args.addAll(List.of(options));
        args.add(registry.hostPort());
        return Cli.run(env, password + "\n", args.toArray(String[]::new));
    }

    JsonNode auths(Path file) {
        return Json.MAPPER.readTree(file.toFile()).get("auths");
    }

    @Test
    void loginChecksTheCredentialsStoresThemInTheRuntimeFileAndInspectThenUsesThem() throws Exception {
        Cli.Result login = login(PASSWORD);

        assertEquals(ExitCodes.OK, login.exitCode(), login.toString());
        assertEquals("Login Succeeded!\n", login.stdout());
        assertEquals(1, registry.requests("/v2/").stream()
                .filter(r -> FakeRegistry.basic(USER, PASSWORD).equals(r.getHeaders().get("Authorization"))).count(),
                "the credentials were tried before they were stored");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(runtimeFile)));
        assertTrue(auths(runtimeFile).has(registry.hostPort()));
        assertFalse(login.stdout().contains(PASSWORD) || login.stderr().contains(PASSWORD));

        Cli.Result inspect = Cli.run(env, "", "inspect", registry.ref("apps/web:1.0"));
        assertEquals(ExitCodes.OK, inspect.exitCode(), inspect.toString());
    }

    @Test
    void aWrongPasswordIsRefusedWithTheUnauthorizedCodeAndNothingIsStored() throws Exception {
        Path file = tmp.resolve("auth.json");
        Files.writeString(file, "{\"auths\":{\"other.example\":{\"auth\":\"YTpi\"}}}");

        Cli.Result login = login("wrong-Passw0rd", "--authfile", file.toString());

        assertEquals(ExitCodes.UNAUTHORIZED, login.exitCode(), login.toString());
        assertEquals(1, login.stderr().lines().count(), login.stderr());
        assertFalse(login.stderr().contains("wrong-Passw0rd"), login.stderr());
        assertEquals("{\"auths\":{\"other.example\":{\"auth\":\"YTpi\"}}}", Files.readString(file));
        assertFalse(Files.exists(runtimeFile));
    }

    @Test
    void loginKeepsOtherEntriesOfTheAuthfileAndLogoutRemovesOnlyItsOwn() throws Exception {
        Path file = tmp.resolve("auth.json");
        Files.writeString(file, "{\"auths\":{\"other.example\":{\"auth\":\"YTpi\"}},\"credHelpers\":{\"gcr.io\":\"gcloud\"}}");

        assertEquals(ExitCodes.OK, login(PASSWORD, "--authfile", file.toString()).exitCode());
        assertEquals(List.of("other.example", registry.hostPort()), auths(file).propertyNames().stream().toList(),
                "the new entry is added after the old ones");

        Cli.Result logout = Cli.run(env, "", "logout", "--authfile", file.toString(), registry.hostPort());
        assertEquals(ExitCodes.OK, logout.exitCode(), logout.toString());
        assertEquals("Removed login credentials for " + registry.hostPort() + "\n", logout.stdout());
        assertEquals(List.of("other.example"), auths(file).propertyNames().stream().toList());
        assertEquals("gcloud", Json.MAPPER.readTree(file.toFile()).at("/credHelpers/gcr.io").asString());

        Cli.Result inspect = Cli.run(env, "", "inspect", "--authfile", file.toString(), registry.ref("apps/web:1.0"));
        assertEquals(ExitCodes.UNAUTHORIZED, inspect.exitCode(), inspect.toString());
    }

    @Test
    void logoutOfARegistryNotLoggedInToFailsAndSaysWhereTheCredentialsAre() throws Exception {
        Path dockerConfig = tmp.resolve("home/.docker/config.json");
        Files.createDirectories(dockerConfig.getParent());
        Files.writeString(dockerConfig, "{\"auths\":{\"" + registry.hostPort() + "\":{\"auth\":\"YTpi\"}}}");

        Cli.Result logout = Cli.run(env, "", "logout", registry.hostPort());

        assertEquals(ExitCodes.FAILURE, logout.exitCode(), logout.toString());
        assertTrue(logout.stderr().contains("not logged in to " + registry.hostPort()), logout.stderr());
        assertTrue(logout.stderr().contains(dockerConfig + " has credentials for it"), logout.stderr());
        assertTrue(Files.readString(dockerConfig).contains("YTpi"), "other files are left alone");
    }

    @Test
    void logoutAllEmptiesTheFile() throws Exception {
        assertEquals(ExitCodes.OK, login(PASSWORD).exitCode());

        Cli.Result logout = Cli.run(env, "", "logout", "--all");

        assertEquals(ExitCodes.OK, logout.exitCode(), logout.toString());
        assertTrue(auths(runtimeFile).isEmpty());
    }

    @Test
    void loginToARegistryThatAsksForNoCredentialsWarnsAndStoresThem() throws Exception {
        registry.requiredAuthorization = null;

        Cli.Result login = login(PASSWORD);

        assertEquals(ExitCodes.OK, login.exitCode(), login.toString());
        assertTrue(login.stderr().contains("asks for no credentials"), login.stderr());
        assertTrue(auths(runtimeFile).has(registry.hostPort()));
    }

    @Test
    void loginAgainstATokenServiceGetsATokenWithTheCredentials() throws Exception {
        registry.requiredAuthorization = null;
        registry.tokenIssuer = registry;
        registry.requiredTokenAuthorization = FakeRegistry.basic(USER, PASSWORD);

        assertEquals(ExitCodes.OK, login(PASSWORD).exitCode());
        assertEquals(ExitCodes.UNAUTHORIZED, login("wrong-Passw0rd", "--authfile", tmp.resolve("other.json").toString()).exitCode());
        assertFalse(Files.exists(tmp.resolve("other.json")));
    }

    @Test
    void dockerHubIsStoredUnderTheKeyDockerWritesAndDockerIoOnLogout() throws Exception {
        Path file = tmp.resolve("auth.json");
        Files.writeString(file, "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"YTpi\"}}}");

        Cli.Result logout = Cli.run(env, "", "logout", "--authfile", file.toString(), "docker.io");

        assertEquals(ExitCodes.OK, logout.exitCode(), logout.toString());
        assertTrue(auths(file).isEmpty());
    }

    @Test
    void withoutATerminalTheUserNameAndPasswordMustBeGiven() {
        Cli.Result noUser = Cli.run(env, "", "login", "--password-stdin", registry.hostPort());
        Cli.Result noPassword = Cli.run(env, "", "login", "--username", USER, registry.hostPort());
        Cli.Result emptyStdin = Cli.run(env, "", "login", "--username", USER, "--password-stdin", registry.hostPort());

        assertEquals(ExitCodes.USAGE, noUser.exitCode(), noUser.toString());
        assertTrue(noUser.stderr().contains("--username"), noUser.stderr());
        assertEquals(ExitCodes.USAGE, noPassword.exitCode(), noPassword.toString());
        assertTrue(noPassword.stderr().contains("--password-stdin"), noPassword.stderr());
        assertEquals(ExitCodes.USAGE, emptyStdin.exitCode(), emptyStdin.toString());
        assertEquals(0, registry.count("/v2/"));
    }

    @Test
    void everyCommandAnswersHelpAsItsUsageErrorsSuggest() {
        for (String command : List.of("login", "logout", "inspect", "list-tags", "pull", "copy")) {
            Cli.Result help = Cli.run(env, "", command, "--help");

            assertEquals(ExitCodes.OK, help.exitCode(), help.toString());
            assertTrue(help.stdout().startsWith("Usage: ferry " + command), help.stdout());
        }
        Cli.Result login = Cli.run(env, "", "login", "--help");
        assertTrue(login.stdout().contains("--password-stdin"), login.stdout());
        assertTrue(login.stdout().contains("${XDG_RUNTIME_DIR}"), "not expanded by picocli: " + login.stdout());
    }

    @Test
    void aReferenceIsNotARegistry() {
        Cli.Result transport = Cli.run(env, "", "login", "-u", USER, "--password-stdin", "docker://" + registry.hostPort());
        Cli.Result tagged = Cli.run(env, "x\n", "login", "-u", USER, "--password-stdin", registry.hostPort() + "/app:1.0");
        Cli.Result both = Cli.run(env, "", "logout", "--all", registry.hostPort());

        assertEquals(ExitCodes.USAGE, transport.exitCode(), transport.toString());
        assertEquals(ExitCodes.USAGE, tagged.exitCode(), tagged.toString());
        assertEquals(ExitCodes.USAGE, both.exitCode(), both.toString());
    }
}
