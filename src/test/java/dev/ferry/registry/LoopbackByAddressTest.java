package dev.ferry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.auth.Credentials;
import dev.ferry.http.HttpClients;
import dev.ferry.http.PinnedDns;
import dev.ferry.reference.ImageReference;
import dev.ferry.reference.Repository;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import okhttp3.Dns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plain HTTP (and credentials over it) for a registry named {@code *.localhost} only when the name
 * resolves to loopback addresses alone: a hosts file or DNS may send such a name anywhere.
 */
class LoopbackByAddressTest {

    FakeRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put("apps/web", "1", TestImage.builder().build());
        registry.requiredAuthorization = FakeRegistry.basic("alice", "secret");
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    /** Fetches the manifest from app.localhost on the fake's port, as {@code dns} resolves the name. */
    private void fetch(Dns dns, boolean tlsVerify) throws Exception {
        int port = registry.url("/").port();
        var http = HttpClients.create(null, Duration.ofSeconds(5), Duration.ofSeconds(5)).newBuilder()
                .dns(new PinnedDns(dns)).build();
        try (RegistryClients clients = new RegistryClients(http)) {
            Repository repository = ImageReference.parseRepository("app.localhost:" + port + "/apps/web");
            clients.client(repository, new RegistryAccess(new Credentials("alice", "secret"), tlsVerify)).manifest("1");
        }
    }

    private static Dns resolvingTo(String... addresses) {
        return host -> {
            if (!host.equals("app.localhost")) {
                throw new UnknownHostException(host);
            }
            List<InetAddress> list = new java.util.ArrayList<>();
            for (String a : addresses) {
                list.add(InetAddress.ofLiteral(a));
            }
            return list;
        };
    }

    @Test
    void aLocalhostNameResolvingToLoopbackIsReachedOverPlainHttpWithCredentials() throws Exception {
        fetch(resolvingTo("127.0.0.1"), true);

        assertEquals(FakeRegistry.basic("alice", "secret"),
                registry.requests("/v2/apps/web/manifests/1").getLast().getHeaders().get("Authorization"));
    }

    @Test
    void aLocalhostNameResolvingElsewhereGetsNoPlainHttp() {
        // 0.0.0.0 reaches this machine's listeners, but it is not a loopback address: HTTPS only,
        // which the plain fake refuses, so nothing (no credentials) goes over plain HTTP.
        assertThrows(RegistryUnreachableException.class, () -> fetch(resolvingTo("0.0.0.0"), true));

        assertEquals(0, registry.count("/v2/apps/web/manifests/1"));
    }

    @Test
    void aLocalhostNameResolvingToLoopbackAndElsewhereGetsNoPlainHttp() {
        assertThrows(RegistryUnreachableException.class, () -> fetch(resolvingTo("0.0.0.0", "127.0.0.1"), true));

        assertEquals(0, registry.count("/v2/apps/web/manifests/1"));
    }

    @Test
    void aLocalhostNameThatDoesNotResolveIsNotLoopback() {
        RegistryUnreachableException e = assertThrows(RegistryUnreachableException.class,
                () -> fetch(host -> {
                    throw new UnknownHostException(host);
                }, true));

        assertEquals(UnknownHostException.class, e.getCause().getClass());
    }

    @Test
    void aNameResolvingElsewhereMayStillUsePlainHttpWhenMarkedInsecure() throws Exception {
        fetch(resolvingTo("0.0.0.0"), false);

        assertEquals(1, registry.count("/v2/apps/web/manifests/1"));
    }

    @Test
    void credentialsGoToAPlainHttpTokenServiceOnlyWhenItsNameResolvesToLoopback() throws Exception {
        try (FakeRegistry issuer = FakeRegistry.start()) {
            registry.requiredAuthorization = null;
            registry.tokenIssuer = issuer;
            issuer.requiredTokenAuthorization = FakeRegistry.basic("alice", "secret");
            String realm = "http://auth.localhost:" + issuer.url("/").port() + "/token";
            registry.intercept("GET", "/v2/.*", request -> request.getHeaders().get("Authorization") != null ? null
                    : FakeRegistry.error(401, "UNAUTHORIZED", "authentication required").newBuilder()
                            .addHeader("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"fake-registry\"")
                            .build());
            Repository repository = ImageReference.parseRepository(registry.hostPort() + "/apps/web");
            RegistryAccess alice = new RegistryAccess(new Credentials("alice", "secret"), true);

            for (String address : List.of("0.0.0.0", "127.0.0.1")) {
                Dns dns = host -> host.equals("auth.localhost") ? List.of(InetAddress.ofLiteral(address))
                        : Dns.SYSTEM.lookup(host);
                var http = HttpClients.create(null, Duration.ofSeconds(5), Duration.ofSeconds(5)).newBuilder()
                        .dns(new PinnedDns(dns)).build();
                try (RegistryClients clients = new RegistryClients(http)) {
                    RegistryClient client = clients.client(repository, alice);
                    if (address.equals("0.0.0.0")) {
                        var e = assertThrows(dev.ferry.auth.AuthenticationException.class, () -> client.manifest("1"));
                        assertTrue(e.getMessage().contains("refusing to send credentials over plain HTTP"), e.getMessage());
                        assertEquals(0, issuer.count("/token"), "nothing went to the token service");
                    } else {
                        client.manifest("1");
                        assertEquals(1, issuer.count("/token"));
                    }
                }
            }
        }
    }
}
