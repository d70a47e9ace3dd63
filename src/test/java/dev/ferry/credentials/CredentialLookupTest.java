package dev.ferry.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.auth.Credentials;
import dev.ferry.reference.ImageReference;
import dev.ferry.reference.Repository;
import dev.ferry.testing.HelperScript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which credentials a repository gets from auth files and helpers: keys, sections, files, in order. */
class CredentialLookupTest {

    static final Repository HUB = ImageReference.parseRepository("library/alpine");
    static final Repository PRIVATE = ImageReference.parseRepository("registry.example:5000/team/app");

    @TempDir
    Path tmp;

    static String auth(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    Path file(String name, String json) throws Exception {
        Path file = tmp.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return file;
    }

    CredentialLookup lookup(Path... files) {
        return new CredentialLookup(null, List.of(files), List.of(tmp.resolve("bin")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://index.docker.io/v1/", "docker.io", "registry-1.docker.io", "index.docker.io"})
    void dockerHubCredentialsAreFoundUnderEveryLegacyKey(String key) throws Exception {
        Path file = file("config.json", "{\"auths\":{\"" + key + "\":{\"auth\":\"" + auth("hubuser", "hubpass") + "\"}}}");

        assertEquals(new Credentials("hubuser", "hubpass"), lookup(file).find(HUB));
    }

    @ParameterizedTest
    @ValueSource(strings = {"registry.example:5000", "https://registry.example:5000/v1/", "http://registry.example:5000",
        "registry.example:5000/team", "registry.example:5000/team/app"})
    void aRegistryIsFoundUnderItsHostPortUrlAndNamespaceKeys(String key) throws Exception {
        Path file = file("auth.json", "{\"auths\":{\"" + key + "\":{\"auth\":\"" + auth("u", "p") + "\"}}}");

        assertEquals(new Credentials("u", "p"), lookup(file).find(PRIVATE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"registry.example", "registry.example:5001", "registry.example:5000/teamx",
        "registry.example:5000/team/app/sub", "other.example:5000"})
    void keysOfOtherRegistriesPortsAndNamespacesDoNotMatch(String key) throws Exception {
        Path file = file("auth.json", "{\"auths\":{\"" + key + "\":{\"auth\":\"" + auth("u", "p") + "\"}}}");

        assertNull(lookup(file).find(PRIVATE));
    }

    @Test
    void aPerRepositoryKeyWinsOverTheRegistryKeyWhicheverComesFirst() throws Exception {
        String host = "\"registry.example:5000\":{\"auth\":\"" + auth("host-user", "h") + "\"}";
        String team = "\"registry.example:5000/team\":{\"auth\":\"" + auth("team-user", "t") + "\"}";
        Path hostFirst = file("a.json", "{\"auths\":{" + host + "," + team + "}}");
        Path teamFirst = file("b.json", "{\"auths\":{" + team + "," + host + "}}");

        assertEquals("team-user", lookup(hostFirst).find(PRIVATE).username());
        assertEquals("team-user", lookup(teamFirst).find(PRIVATE).username());
        assertEquals("host-user", lookup(hostFirst).find(ImageReference.parseRepository("registry.example:5000/other/app"))
                .username());
        assertEquals("host-user", lookup(hostFirst).find(PRIVATE.registry()).username());
    }

    @Test
    void anIdentityTokenIsKeptAsARefreshTokenWithTheUserNameOfTheAuthField() throws Exception {
        Path file = file("config.json", "{\"auths\":{\"registry.example:5000\":{\"auth\":\"" + auth("alice", "")
                + "\",\"identitytoken\":\"refresh-abc\"}}}");

        Credentials found = lookup(file).find(PRIVATE);

        assertEquals("refresh-abc", found.identityToken());
        assertEquals("alice", found.username());
        assertNull(found.password());
    }

    @Test
    void separateUsernameAndPasswordFieldsAreReadToo() throws Exception {
        Path file = file("auth.json", "{\"auths\":{\"registry.example:5000\":{\"username\":\"bob\",\"password\":\"pw\"}}}");

        assertEquals(new Credentials("bob", "pw"), lookup(file).find(PRIVATE));
    }

    @Test
    void thePasswordMayContainColons() throws Exception {
        Path file = file("auth.json", "{\"auths\":{\"registry.example:5000\":{\"auth\":\"" + auth("bob", "a:b:c") + "\"}}}");

        assertEquals(new Credentials("bob", "a:b:c"), lookup(file).find(PRIVATE));
    }

    @Test
    void theFirstFileThatKnowsTheRegistryWins() throws Exception {
        Path first = file("run/containers/auth.json", "{\"auths\":{\"other.example\":{\"auth\":\"" + auth("x", "y") + "\"}}}");
        Path second = file("config/containers/auth.json",
                "{\"auths\":{\"registry.example:5000\":{\"auth\":\"" + auth("second", "2") + "\"}}}");
        Path third = file("docker/config.json",
                "{\"auths\":{\"registry.example:5000\":{\"auth\":\"" + auth("third", "3") + "\"}}}");

        assertEquals("second", lookup(first, second, third).find(PRIVATE).username());
        assertEquals("third", lookup(first, third, second).find(PRIVATE).username());
        assertNull(lookup(first).find(PRIVATE));
    }

    @Test
    void missingFilesAreSkipped() throws Exception {
        Path present = file("docker/config.json", "{\"auths\":{\"registry.example:5000\":{\"auth\":\"" + auth("u", "p") + "\"}}}");

        assertEquals("u", lookup(tmp.resolve("absent.json"), present).find(PRIVATE).username());
    }

    @Test
    void givenCredentialsWinAndNoFileIsRead() throws Exception {
        Path broken = file("auth.json", "{ not json");
        CredentialLookup lookup = new CredentialLookup(new Credentials("given", "pw"), List.of(broken), List.of());

        assertEquals("given", lookup.find(PRIVATE).username());
        assertThrows(CredentialsException.class, () -> lookup(broken).find(PRIVATE));
    }

    @Test
    void aFileThatIsNotJsonIsReportedByPathAndPlaceWithoutQuotingIt() throws Exception {
        Path broken = file("auth.json", "{\"auths\":{\"registry.example:5000\":{\"auth\":\"c2VjcmV0OnNlY3JldA==\" oops}}}");

        CredentialsException e = assertThrows(CredentialsException.class, () -> lookup(broken).find(PRIVATE));

        assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        assertFalse(e.getMessage().contains("c2VjcmV0"), e.getMessage());
        assertFalse(e.getMessage().contains("oops"), e.getMessage());
    }

    @Test
    void anAuthFieldThatIsNotBase64OfUserColonPasswordIsReportedWithoutItsValue() throws Exception {
        String noColon = Base64.getEncoder().encodeToString("justapassword".getBytes(StandardCharsets.UTF_8));
        Path file = file("auth.json", "{\"auths\":{\"registry.example:5000\":{\"auth\":\"" + noColon + "\"}}}");

        CredentialsException e = assertThrows(CredentialsException.class, () -> lookup(file).find(PRIVATE));

        assertTrue(e.getMessage().contains("registry.example:5000"), e.getMessage());
        assertFalse(e.getMessage().contains(noColon) || e.getMessage().contains("justapassword"), e.getMessage());
    }

    @Test
    void aCredHelperForTheRegistryIsAskedBeforeAuthsAndGetsTheServerOnStandardInput() throws Exception {
        HelperScript helper = HelperScript.create(tmp.resolve("bin"), "test",
                Map.of("registry.example:5000", List.of("from-helper", "helper-secret")));
        Path file = file("config.json", "{\"credHelpers\":{\"registry.example:5000\":\"test\"},"
                + "\"auths\":{\"registry.example:5000\":{\"auth\":\"" + auth("from-auths", "x") + "\"}}}");

        assertEquals(new Credentials("from-helper", "helper-secret"), lookup(file).find(PRIVATE));
        assertEquals(List.of("registry.example:5000"), helper.calls());
    }

    @Test
    void aHelperThatHasNothingLetsAuthsAnswerThenTheCredsStore() throws Exception {
        HelperScript empty = HelperScript.create(tmp.resolve("bin"), "empty", Map.of());
        HelperScript store = HelperScript.create(tmp.resolve("bin"), "store",
                Map.of("registry.example:5000", List.of("from-store", "s")));
        Path withAuths = file("a.json", "{\"credHelpers\":{\"registry.example:5000\":\"empty\"},\"credsStore\":\"store\","
                + "\"auths\":{\"registry.example:5000\":{\"auth\":\"" + auth("from-auths", "x") + "\"}}}");
        // docker writes an empty entry for registries whose credentials live in its credsStore.
        Path emptyEntry = file("b.json", "{\"credHelpers\":{\"registry.example:5000\":\"empty\"},\"credsStore\":\"store\","
                + "\"auths\":{\"registry.example:5000\":{}}}");

        assertEquals("from-auths", lookup(withAuths).find(PRIVATE).username());
        assertEquals(0, store.calls().size(), "auths answered first");
        assertEquals("from-store", lookup(emptyEntry).find(PRIVATE).username());
        assertEquals(List.of("registry.example:5000", "registry.example:5000"), empty.calls());
    }

    @Test
    void aCredsStoreIsAskedForDockerHubByItsLegacyUrl() throws Exception {
        HelperScript store = HelperScript.create(tmp.resolve("bin"), "desktop",
                Map.of("https://index.docker.io/v1/", List.of("hubuser", "hubsecret")));
        Path file = file("config.json", "{\"auths\":{\"https://index.docker.io/v1/\":{}},\"credsStore\":\"desktop\"}");

        assertEquals(new Credentials("hubuser", "hubsecret"), lookup(file).find(HUB));
        assertEquals(List.of("https://index.docker.io/v1/"), store.calls());
    }

    @Test
    void aFileThatNamesNoHelperForTheRegistryRunsNone() throws Exception {
        HelperScript helper = HelperScript.create(tmp.resolve("bin"), "test", Map.of());
        Path file = file("config.json", "{\"credHelpers\":{\"other.example\":\"test\"}}");

        assertNull(lookup(file).find(PRIVATE));
        assertEquals(List.of(), helper.calls());
    }

    @Test
    void theStandardLookupReadsFilesFromTheEnvironmentInSkopeosOrder() throws Exception {
        Path home = tmp.resolve("home");
        Map<String, String> env = Map.of("HOME", home.toString(), "XDG_RUNTIME_DIR", tmp.resolve("run").toString(),
                "PATH", tmp.resolve("bin") + ":/usr/bin");

        CredentialLookup standard = CredentialLookup.standard(null, null, env);

        assertEquals(List.of(tmp.resolve("run/containers/auth.json"), home.resolve(".config/containers/auth.json"),
                home.resolve(".docker/config.json")), standard.authFiles());
        assertEquals(List.of(tmp.resolve("bin"), Path.of("/usr/bin")), standard.helperPath());
    }
}
