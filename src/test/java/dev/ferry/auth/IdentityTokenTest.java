package dev.ferry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.FakeRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An identity token (docker's {@code identitytoken}, a helper's {@code <token>} user) is an OAuth2
 * refresh token: it goes to the realm in a POST form, never as Basic auth, never in the URL.
 */
class IdentityTokenTest {

    static final List<String> SCOPES = List.of("repository:team/app:pull", "repository:team/base:pull");

    FakeRegistry auth;
    TokenService tokens;
    Challenge challenge;

    @BeforeEach
    void start() throws Exception {
        auth = FakeRegistry.start();
        tokens = new TokenService(new OkHttpClient(), Clock.systemUTC());
        challenge = new Challenge("Bearer", Map.of("realm", auth.url("/token").toString(), "service", "registry.example"));
    }

    @AfterEach
    void stop() {
        auth.close();
    }

    static Map<String, String> form(RecordedRequest request) {
        HttpUrl parsed = HttpUrl.get("http://x/?" + request.getBody().utf8());
        Map<String, String> fields = new java.util.TreeMap<>();
        for (String name : parsed.queryParameterNames()) {
            fields.put(name, parsed.queryParameter(name));
        }
        return fields;
    }

    @Test
    void theRefreshTokenIsPostedAsAnOAuth2GrantAndTheAccessTokenUsed() throws Exception {
        auth.on("/token", FakeRegistry.json(200, "{\"access_token\":\"access-1\",\"expires_in\":300,\"refresh_token\":\"ignored\"}"));

        String token = tokens.token(challenge, SCOPES, Credentials.identityToken("alice", "refresh-secret"), true);

        assertEquals("access-1", token);
        RecordedRequest request = auth.requests("/token").getFirst();
        assertEquals("POST", request.getMethod());
        assertEquals(Map.of("grant_type", "refresh_token", "refresh_token", "refresh-secret", "client_id", "ferry",
                "service", "registry.example", "scope", "repository:team/app:pull repository:team/base:pull"), form(request));
        assertEquals("application/x-www-form-urlencoded", request.getHeaders().get("Content-Type").replaceFirst(";.*", ""));
        assertNull(request.getHeaders().get("Authorization"), "the refresh token is the credential, not Basic auth");
        assertFalse(request.getTarget().contains("refresh-secret"), request.getTarget());
    }

    @Test
    void theAccessTokenIsCachedLikeAnyOther() throws Exception {
        auth.on("/token", FakeRegistry.json(200, "{\"access_token\":\"access-1\",\"expires_in\":300}"));
        Credentials credentials = Credentials.identityToken(null, "refresh-secret");

        tokens.token(challenge, SCOPES, credentials, true);
        tokens.token(challenge, SCOPES, credentials, true);

        assertEquals(1, auth.count("/token"));
    }

    @Test
    void aRefreshTokenTheServiceNoLongerAcceptsIsARefusal() {
        auth.on("/token", FakeRegistry.json(400, "{\"error\":\"invalid_grant\"}"));

        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> tokens.token(challenge, SCOPES, Credentials.identityToken("alice", "refresh-secret"), true));

        assertTrue(e.refused());
        assertTrue(e.getMessage().contains("identity token for alice"), e.getMessage());
        assertFalse(e.getMessage().contains("refresh-secret"), e.getMessage());
    }

    @Test
    void aRefreshTokenIsNotSentOverPlainHttpToARealmOffThisMachine() {
        Challenge remote = new Challenge("Bearer", Map.of("realm", "http://auth.ferry-test.invalid/token"));

        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> tokens.token(remote, SCOPES, Credentials.identityToken("alice", "refresh-secret"), false));

        assertTrue(e.getMessage().contains("refusing to send credentials over plain HTTP"), e.getMessage());
        assertEquals(0, auth.count("/token"));
    }

    @Test
    void aUserNameAndPasswordStillGoAsBasicAuthOnAGet() throws Exception {
        auth.requiredTokenAuthorization = FakeRegistry.basic("alice", "pw");

        tokens.token(challenge, SCOPES, new Credentials("alice", "pw"), true);

        RecordedRequest request = auth.requests("/token").getFirst();
        assertEquals("GET", request.getMethod());
        assertEquals(SCOPES, request.getUrl().queryParameterValues("scope"));
    }
}
