package dev.ferry.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryTest {

    @ParameterizedTest
    @CsvSource({
            // name,                 apiAuthority,           apiHost,               apiPort
            "docker.io,              registry-1.docker.io,   registry-1.docker.io,  -1",
            "index.docker.io,        registry-1.docker.io,   registry-1.docker.io,  -1",
            "registry-1.docker.io,   registry-1.docker.io,   registry-1.docker.io,  -1",
            "quay.io,                quay.io,                quay.io,               -1",
            "localhost:5000,         localhost:5000,         localhost,             5000",
            "127.0.0.1:5000,         127.0.0.1:5000,         127.0.0.1,             5000",
            "[::1],                  [::1],                  ::1,                   -1",
            "[::1]:5000,             [::1]:5000,             ::1,                   5000",
            "[2001:db8::7]:443,      [2001:db8::7]:443,      2001:db8::7,           443",
    })
    void apiAddressesComeFromTheNameWithDockerHubMappedToItsApiHost(String name, String authority, String host,
            int port) {
        Registry registry = new Registry(name);
        assertEquals(authority, registry.apiAuthority());
        assertEquals(host, registry.apiHost());
        assertEquals(port, registry.apiPort());
    }

    @ParameterizedTest
    @CsvSource({"index.docker.io", "registry-1.docker.io", "docker.io"})
    void legacyHubSpellingsAreNormalizedToDockerIo(String name) {
        assertEquals(Registry.dockerHub(), new Registry(name));
        assertEquals("docker.io", new Registry(name).toString());
    }

    /** A resolver for the test: names as a hosts file or DNS might answer them, anything else unknown. */
    static final Registry.Resolver STUB = host -> switch (host) {
        case "localhost" -> List.of(InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("::1"));
        case "registry.localhost", "dev.example" -> List.of(InetAddress.ofLiteral("127.0.0.53"));
        case "rebound.localhost" -> List.of(InetAddress.ofLiteral("203.0.113.9"));
        case "mixed.localhost" -> List.of(InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("203.0.113.9"));
        case "empty.localhost" -> List.of();
        default -> throw new UnknownHostException(host);
    };

    @ParameterizedTest
    @CsvSource({
            "localhost,            true",
            "localhost:5000,       true",
            "LOCALHOST:5000,       true",
            "registry.localhost,   true",
            "dev.example:5000,     true",
            "rebound.localhost,    false",
            "mixed.localhost:5000, false",
            "empty.localhost,      false",
            "unknown.localhost,    false",
            "127.0.0.1,            true",
            "127.0.0.5:5000,       true",
            "[::1],                true",
            "[::1]:5000,           true",
            "example.com,          false",
            "localhost.example.com,false",
            "10.0.0.1:5000,        false",
            "[2001:db8::1]:5000,   false",
            "docker.io,            false",
    })
    void loopbackIsDecidedByEveryAddressTheNameResolvesTo(String name, boolean loopback) {
        assertEquals(loopback, new Registry(name).isLoopback(STUB));
    }

    @Test
    void aLiteralAddressIsNeverLookedUp() {
        Registry.Resolver refusing = host -> {
            throw new AssertionError("looked up " + host);
        };
        assertEquals(true, new Registry("127.0.0.1:5000").isLoopback(refusing));
        assertEquals(false, new Registry("[2001:db8::1]").isLoopback(refusing));
    }

    @Test
    void aRegistryNeedsAName() {
        assertThrows(IllegalArgumentException.class, () -> new Registry(""));
        assertThrows(IllegalArgumentException.class, () -> new Registry(null));
    }
}
