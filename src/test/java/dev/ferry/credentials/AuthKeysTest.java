package dev.ferry.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.reference.ImageReference;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AuthKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://index.docker.io/v1/", "https://index.docker.io/v1", "index.docker.io",
        "docker.io", "registry-1.docker.io", "http://index.docker.io/v1/", "https://registry-1.docker.io/v2/",
        "Docker.IO", "docker.io/"})
    void everySpellingOfDockerHubIsDockerIo(String key) {
        assertEquals("docker.io", AuthKeys.normalize(key));
    }

    @ParameterizedTest
    @CsvSource({
        "registry.example:5000, registry.example:5000",
        "https://registry.example:5000/v1/, registry.example:5000",
        "http://registry.example:5000, registry.example:5000",
        "https://registry.example/v1/, registry.example",
        "Registry.Example:5000/, registry.example:5000",
        "registry.example/team, registry.example/team",
        "registry.example:5000/team/app/, registry.example:5000/team/app",
        "docker.io/library, docker.io/library",
        "index.docker.io/myorg, docker.io/myorg",
        // a URL names a registry: containers/image drops its path too
        "https://registry.example/team, registry.example",
        "[::1]:5000, [::1]:5000",
    })
    void keysReadTheWayDockerAndPodmanWriteThem(String key, String normalized) {
        assertEquals(normalized, AuthKeys.normalize(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "https://", "/team"})
    void aKeyWithoutAHostIsNoRegistry(String key) {
        assertThrows(IllegalArgumentException.class, () -> AuthKeys.normalize(key));
    }

    @Test
    void aRepositoryIsMatchedByItsOwnKeyThenEachNamespaceThenTheRegistry() {
        assertEquals(List.of("registry.example:5000/team/app/web", "registry.example:5000/team/app",
                "registry.example:5000/team", "registry.example:5000"),
                AuthKeys.candidates(ImageReference.parseRepository("registry.example:5000/team/app/web")));
    }

    @Test
    void dockerHubRepositoriesAreMatchedUnderDockerIo() {
        assertEquals(List.of("docker.io/library/alpine", "docker.io/library", "docker.io"),
                AuthKeys.candidates(ImageReference.parseRepository("alpine")));
    }

    @Test
    void helpersAreAskedForDockerHubByItsLegacyUrlAndForOthersByHostAndPort() {
        assertEquals("https://index.docker.io/v1/", AuthKeys.helperServerUrl("docker.io/library"));
        assertEquals("registry.example:5000", AuthKeys.helperServerUrl("registry.example:5000/team"));
    }
}
