package dev.ferry.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthFileLocationsTest {

    static final Map<String, String> ENV = Map.of("HOME", "/home/u", "XDG_RUNTIME_DIR", "/run/user/1000");

    @Test
    void withoutAFileNamedTheRuntimeFileComesFirstThenContainersConfigThenDockers() {
        assertEquals(List.of(Path.of("/run/user/1000/containers/auth.json"), Path.of("/home/u/.config/containers/auth.json"),
                Path.of("/home/u/.docker/config.json")), AuthFileLocations.search(null, ENV));
    }

    @Test
    void dockerConfigAndXdgConfigHomeMoveTheirFiles() {
        Map<String, String> env = Map.of("HOME", "/home/u", "XDG_RUNTIME_DIR", "/run/user/1000",
                "DOCKER_CONFIG", "/etc/dockercfg", "XDG_CONFIG_HOME", "/cfg");

        assertEquals(List.of(Path.of("/run/user/1000/containers/auth.json"), Path.of("/cfg/containers/auth.json"),
                Path.of("/etc/dockercfg/config.json")), AuthFileLocations.search(null, env));
    }

    @Test
    void authfileAloneIsReadAndWinsOverRegistryAuthFile() {
        Map<String, String> env = Map.of("HOME", "/home/u", "REGISTRY_AUTH_FILE", "/env/auth.json");

        assertEquals(List.of(Path.of("/flag/auth.json")), AuthFileLocations.search(Path.of("/flag/auth.json"), env));
        assertEquals(List.of(Path.of("/env/auth.json")), AuthFileLocations.search(null, env));
    }

    @Test
    void withoutXdgRuntimeDirTheRuntimeFileIsUnderRunContainersAndTheUid() {
        List<Path> files = AuthFileLocations.search(null, Map.of("HOME", "/home/u"));

        assertTrue(files.getFirst().toString().matches("/run/containers/[0-9]+/auth\\.json"), files.toString());
        assertEquals(3, files.size());
    }

    @Test
    void loginWritesTheNamedFileElseTheRuntimeFile() throws Exception {
        assertEquals(Path.of("/flag/auth.json"), AuthFileLocations.loginFile(Path.of("/flag/auth.json"), ENV));
        assertEquals(Path.of("/env/auth.json"), AuthFileLocations.loginFile(null, Map.of("REGISTRY_AUTH_FILE", "/env/auth.json")));
        assertEquals(Path.of("/run/user/1000/containers/auth.json"), AuthFileLocations.loginFile(null, ENV));
    }

    @Test
    void theHelperPathIsPathSplit() {
        assertEquals(List.of(Path.of("/a"), Path.of("/b/c")), AuthFileLocations.helperPath(Map.of("PATH", "/a::/b/c")));
        assertEquals(List.of(), AuthFileLocations.helperPath(Map.of()));
    }
}
