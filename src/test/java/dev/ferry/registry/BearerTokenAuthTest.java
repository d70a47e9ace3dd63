package dev.ferry.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.auth.Credentials;
import dev.ferry.cli.ExitCodes;
import dev.ferry.http.HttpClients;
import dev.ferry.reference.ImageReference;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BearerTokenAuthTest {

    static final String MANIFEST = "/v2/apps/web/manifests/1.0";

    final TestImage image = TestImage.builder().build();
    FakeRegistry registry;
    RegistryClients clients;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put("apps/web", "1.0", image);
        registry.tokenIssuer = registry;
        clients = new RegistryClients(HttpClients.create(null, Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        clients.close();
        registry.close();
    }

    RegistryClient client(RegistryAccess access) {
        return clients.client(ImageReference.parseRepository(registry.hostPort() + "/apps/web"), access);
    }

    RegistryClient anonymous() {
        return client(RegistryAccess.anonymous());
    }

    @Test
    void anAnonymousTokenIsRequestedForTheChallengesServiceAndTheRepositoryPullScope() throws Exception {
        anonymous().manifest("1.0");

        List<RecordedRequest> tokenRequests = registry.requests("/token");
        assertEquals(1, tokenRequests.size());
        RecordedRequest tokenRequest = tokenRequests.getFirst();
        assertEquals(List.of(FakeRegistry.SERVICE), tokenRequest.getUrl().queryParameterValues("service"));
        assertEquals(List.of("repository:apps/web:pull"), tokenRequest.getUrl().queryParameterValues("scope"));
        assertNull(tokenRequest.getHeaders().get("Authorization"), "anonymous token requests carry no credentials");
    }

    @Test
    void theTokenIsSentAsBearerAuthorizationToTheRegistry() throws Exception {
        anonymous().manifest("1.0");

        String token = registry.issuedTokens().getFirst();
        assertEquals("Bearer " + token, registry.requests(MANIFEST).getLast().getHeaders().get("Authorization"));
    }

    @Test
    void anAccessTokenFieldIsAcceptedWhenTheTokenFieldIsMissing() throws Exception {
        registry.tokenField = "access_token";

        assertEquals(image.digest(), anonymous().manifest("1.0").digest());
        assertEquals("Bearer " + registry.issuedTokens().getFirst(),
                registry.requests(MANIFEST).getLast().getHeaders().get("Authorization"));
    }

    @Test
    void aTokenServiceOnAnotherServerIssuesTheTokens() throws Exception {
        try (FakeRegistry auth = FakeRegistry.start()) {
            registry.tokenIssuer = auth;

            assertEquals(image.digest(), anonymous().manifest("1.0").digest());
            assertEquals(1, auth.count("/token"));
            assertEquals(0, registry.count("/token"));
        }
    }

    @Test
    void oneTokenServesManyManifestAndBlobRequestsOnTheSameScope() throws Exception {
        RegistryClient client = anonymous();
        for (int i = 0; i < 3; i++) {
            client.manifest("1.0");
            client.manifest(image.digest().toString());
        }
        assertArrayEquals(image.config().bytes(), client.blobBytes(image.config().descriptor(), 1 << 20));
        assertArrayEquals(image.config().bytes(), client.blobBytes(image.config().descriptor(), 1 << 20));
        try (InputStream layer = client.openBlob(image.layers().getFirst().descriptor())) {
            assertArrayEquals(image.layers().getFirst().bytes(), layer.readAllBytes());
        }
        // A second client for the same repository shares the endpoint and its token cache.
        anonymous().manifest("1.0");

        assertEquals(1, registry.count("/token"));
        assertEquals(7, registry.count(MANIFEST) + registry.count("/v2/apps/web/manifests/" + image.digest()));
    }

    @Test
    void aCachedTokenTheRegistryRefusesIsReplacedByAFreshOneAndTheRequestRetriedOnce() throws Exception {
        RegistryClient client = anonymous();
        client.manifest("1.0");
        registry.revokeTokens();

        assertEquals(image.digest(), client.manifest("1.0").digest());

        assertEquals(2, registry.count("/token"));
        assertEquals(3, registry.count(MANIFEST), "one success, then one refusal and one retry");
        String fresh = registry.issuedTokens().getLast();
        assertEquals("Bearer " + fresh, registry.requests(MANIFEST).getLast().getHeaders().get("Authorization"));
    }

    @Test
    void aRegistryThatOnlyChallengesOnTheRepositoryGetsATokenOnceAndThenUpFront() throws Exception {
        registry.on("/v2/", FakeRegistry.json(200, "{}"));
        RegistryClient client = anonymous();

        client.manifest("1.0");
        client.blobBytes(image.config().descriptor(), 1 << 20);

        assertEquals(2, registry.count(MANIFEST), "the anonymous attempt, then the one with a token");
        assertEquals(1, registry.count("/v2/apps/web/blobs/" + image.config().digest()), "the token goes up front now");
        assertEquals(1, registry.count("/token"));
    }

    @Test
    void aRequestRefusedAgainWithAFreshTokenFailsAsUnauthorizedWithoutRetryingForever() {
        MockResponse refused = FakeRegistry.error(401, "UNAUTHORIZED", "token revoked").newBuilder()
                .addHeader("WWW-Authenticate", "Bearer realm=\"" + registry.url("/token") + "\",service=\""
                        + FakeRegistry.SERVICE + "\",scope=\"repository:apps/web:pull\"")
                .build();
        registry.on(MANIFEST, refused);

        Cli.Result result = Cli.run("inspect", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.UNAUTHORIZED, result.exitCode(), result.toString());
        assertEquals(2, registry.count(MANIFEST), "the first attempt and exactly one retry");
        assertEquals(2, registry.count("/token"), "a fresh token for the retry");
        List<String> sent = registry.requests(MANIFEST).stream().map(r -> r.getHeaders().get("Authorization")).toList();
        assertEquals(registry.issuedTokens().stream().map(t -> "Bearer " + t).toList(), sent);
    }

    @Test
    void credentialsAreSentToTheTokenEndpointAsBasicAuth() throws Exception {
        registry.requiredTokenAuthorization = FakeRegistry.basic("alice", "s3cret:with:colons");

        Cli.Result result = Cli.run("inspect", "--creds", "alice:s3cret:with:colons", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(FakeRegistry.basic("alice", "s3cret:with:colons"),
                registry.requests("/token").getFirst().getHeaders().get("Authorization"));
        assertTrue(registry.requests(MANIFEST).stream()
                .allMatch(r -> r.getHeaders().get("Authorization").startsWith("Bearer ")),
                "the registry itself gets the token, not the password");
    }

    @Test
    void credentialsAreNotSentOverPlainHttpToARealmOffThisMachineEvenForALoopbackRegistry() {
        registry.on("/v2/", FakeRegistry.error(401, "UNAUTHORIZED", "authentication required").newBuilder()
                .addHeader("WWW-Authenticate", "Bearer realm=\"http://auth.ferry-test.invalid/token\",service=\"x\"")
                .build());

        Cli.Result result = Cli.run("inspect", "--creds", "alice:s3cret", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.INVALID_RESPONSE, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("refusing to send credentials over plain HTTP to auth.ferry-test.invalid"),
                result.stderr());
    }

    @Test
    void credentialsTheTokenEndpointRefusesExitWithTheUnauthorizedCode() {
        registry.requiredTokenAuthorization = FakeRegistry.basic("alice", "right");

        Cli.Result result = Cli.run("inspect", "--creds", "alice:wrong", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.UNAUTHORIZED, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("alice"), result.stderr());
        assertEquals(0, registry.count(MANIFEST), "without a token there is nothing to send the registry");
    }

    @Test
    void aBasicAuthRegistryGetsTheCredentialsDirectly() throws Exception {
        registry.tokenIssuer = null;
        registry.requiredAuthorization = FakeRegistry.basic("bob", "hunter2");

        var client = client(new RegistryAccess(new Credentials("bob", "hunter2"), true));

        assertEquals(image.digest(), client.manifest("1.0").digest());
        assertEquals(FakeRegistry.basic("bob", "hunter2"), registry.requests(MANIFEST).getLast().getHeaders().get("Authorization"));
        assertEquals(1, registry.count(MANIFEST), "no anonymous attempt first: the ping told the scheme");
        assertEquals(0, registry.count("/token"));
    }

    @Test
    void aBasicAuthRegistryWithoutCredsExitsUnauthorizedAndSuggestsCreds() {
        registry.tokenIssuer = null;
        registry.requiredAuthorization = FakeRegistry.basic("bob", "hunter2");

        Cli.Result result = Cli.run("inspect", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.UNAUTHORIZED, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("--creds"), result.stderr());
        assertEquals(1, result.stderr().lines().count(), result.stderr());
    }

    @Test
    void aBasicAuthRegistryWithCredsViaTheCliSucceeds() {
        registry.tokenIssuer = null;
        registry.requiredAuthorization = FakeRegistry.basic("bob", "hunter2");

        Cli.Result result = Cli.run("inspect", "--creds", "bob:hunter2", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    }
}
