package dev.ferry.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.auth.Credentials;
import dev.ferry.testing.HelperScript;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialHelperTest {

    @TempDir
    Path tmp;

    CredentialHelper helper(String name) {
        return new CredentialHelper(name, List.of(tmp.resolve("empty"), tmp.resolve("bin")));
    }

    @Test
    void theHelperIsFoundOnThePathAndItsJsonAnswerRead() throws Exception {
        HelperScript script = HelperScript.create(tmp.resolve("bin"), "test",
                Map.of("registry.example", List.of("alice", "s3cret")));

        assertEquals(new Credentials("alice", "s3cret"), helper("test").get("registry.example", "test config"));
        assertEquals(List.of("registry.example"), script.calls());
    }

    @Test
    void credentialsNotFoundMeansNoCredentials() throws Exception {
        HelperScript.create(tmp.resolve("bin"), "test", Map.of());

        assertNull(helper("test").get("registry.example", "test config"));
    }

    @Test
    void aTokenUserMeansTheSecretIsAnIdentityToken() throws Exception {
        HelperScript.create(tmp.resolve("bin"), "test", Map.of("registry.example", List.of("<token>", "refresh-xyz")));

        Credentials found = helper("test").get("registry.example", "test config");

        assertEquals("refresh-xyz", found.identityToken());
        assertNull(found.password());
    }

    @Test
    void anyOtherFailureIsReportedWithTheHelpersMessageAndExitCode() throws Exception {
        HelperScript.create(tmp.resolve("bin"), "test", "echo 'error getting credentials - err: exit status 1, out: keychain locked'; exit 3\n");

        CredentialsException e = assertThrows(CredentialsException.class,
                () -> helper("test").get("registry.example", "credsStore in /x/config.json"));

        assertTrue(e.getMessage().contains("docker-credential-test failed for registry.example (exit 3)"), e.getMessage());
        assertTrue(e.getMessage().contains("keychain locked"), e.getMessage());
    }

    @Test
    void aMissingHelperIsReportedWithWhereItWasNamed() {
        CredentialsException e = assertThrows(CredentialsException.class,
                () -> helper("nothere").get("registry.example", "credHelpers in /x/config.json"));

        assertTrue(e.getMessage().contains("docker-credential-nothere (credHelpers in /x/config.json) is not installed"),
                e.getMessage());
    }

    @Test
    void anAnswerThatIsNotJsonIsReportedWithoutQuotingIt() throws Exception {
        HelperScript.create(tmp.resolve("bin"), "test", "echo 'Username: alice Secret: hunter2'; exit 0\n");

        CredentialsException e = assertThrows(CredentialsException.class, () -> helper("test").get("r", "c"));

        assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void aHelperNameThatWouldLeaveThePathIsRefused() {
        CredentialsException e = assertThrows(CredentialsException.class, () -> helper("../../bin/sh").get("r", "c"));

        assertTrue(e.getMessage().contains("not valid"), e.getMessage());
    }
}
