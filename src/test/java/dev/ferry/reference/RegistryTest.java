package dev.ferry.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    @ParameterizedTest
    @CsvSource({
            "localhost,            true",
            "localhost:5000,       true",
            "LOCALHOST:5000,       true",
            "registry.localhost,   true",
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
    void loopbackIsDecidedByNameAndLiteralAddress(String name, boolean loopback) {
        assertEquals(loopback, new Registry(name).isLoopback());
    }

    @Test
    void aRegistryNeedsAName() {
        assertThrows(IllegalArgumentException.class, () -> new Registry(""));
        assertThrows(IllegalArgumentException.class, () -> new Registry(null));
    }
}
