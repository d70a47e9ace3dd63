package dev.ferry.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.auth.Credentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {

    static SyncConfig parse(String yaml, Map<String, String> env) {
        return ConfigReader.parse("sync.yaml", yaml.getBytes(StandardCharsets.UTF_8), env, null);
    }

    static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml, Map.of())).getMessage();
    }

    @Test
    void aRegsyncFileGivesRulesSettingsAndCredentialsFromTheEnvironmentAndFiles(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("pass");
        Files.writeString(secret, "s3cret\n");
        SyncConfig config = parse("""
                version: 1
                creds:
                  - registry: mirror.example:5000
                    user: '{{env "MIRROR_USER"}}'
                    pass: '{{file "%s"}}'
                  - registry: 127.0.0.1:5001
                    tls: disabled
                defaults:
                  parallel: 4
                  interval: 1h30m
                  ratelimit: {min: 100, retry: 5m}
                  requestsPerSecond: 10
                sync:
                  - source: busybox:1.36
                    target: mirror.example:5000/library/busybox
                  - source: ghcr.io/org/app
                    target: mirror.example:5000/app
                    type: repository
                    tags: {allow: ['v1\\..*'], deny: ['.*-rc']}
                    platforms: [linux/arm64]
                  - source: alpine
                    target: oci:/var/lib/images
                    type: repository
                    prune: true
                """.formatted(secret), Map.of("MIRROR_USER", "robot"));
        assertEquals(new Credentials("robot", "s3cret"), config.credentials().get("mirror.example:5000"));
        assertEquals(List.of("127.0.0.1:5001"), config.insecure());
        assertEquals(4, config.settings().parallel());
        assertEquals(Duration.ofMinutes(90), config.settings().interval());
        assertEquals(100, config.settings().floor());
        assertEquals(Duration.ofMinutes(5), config.settings().floorWait());
        SyncRule image = config.rules().get(0);
        assertEquals("docker.io/library/busybox", image.source().name());
        assertEquals(List.of("1.36"), image.tags());
        assertEquals(new Target.RegistryRepo(dev.ferry.reference.ImageReference.parseRepository(
                "mirror.example:5000/library/busybox"), null), image.target());
        SyncRule repo = config.rules().get(1);
        assertNull(repo.tags());
        assertTrue(repo.wants("v1.2"));
        assertFalse(repo.wants("v1.3-rc"));
        assertFalse(repo.wants("v2.0"));
        assertEquals("arm64", repo.platforms().get(0).architecture());
        assertNull(repo.platform());
        assertEquals(new Target.Layout(Path.of("/var/lib/images"), true), config.rules().get(2).target());
    }

    @Test
    void anInvalidRegexIsReportedWithItsLineAndField() {
        String message = error("""
                sync:
                  - source: a.example/app
                    target: b.example/app
                    type: repository
                    tags:
                      allow: ['(unclosed']
                """);
        assertTrue(message.startsWith("sync.yaml:"), message);
        assertTrue(message.contains("sync[0].tags"), message);
        assertTrue(message.contains("not a valid regular expression"), message);
        int line = Integer.parseInt(message.split(":")[1]);
        assertTrue(line >= 5 && line <= 7, message);
    }

    @Test
    void anUnknownFieldIsRefusedWithItsLineAndName() {
        String message = error("""
                sync:
                  - source: a.example/app:1
                    target: b.example/app
                    backup: '{{.Ref}}-old'
                """);
        // Jackson reads a record's fields before it can refuse one: the line is the field's or the entry's end
        assertTrue(message.startsWith("sync.yaml:4:") || message.startsWith("sync.yaml:5:"), message);
        assertTrue(message.contains("sync[0].backup"), message);
    }

    @Test
    void aMalformedReferenceIsReportedWithItsField() {
        String message = error("""
                sync:
                  - source: 'UPPER/Case:tag'
                    target: b.example/app
                """);
        assertTrue(message.contains("sync[0]"), message);
    }

    @Test
    void aMissingEnvironmentVariableIsAConfigErrorThatNeverShowsOtherValues() {
        String message = error("""
                creds:
                  - registry: r.example
                    user: '{{env "NOPE_NOT_SET"}}'
                    pass: x
                sync:
                  - {source: a.example/app:1, target: r.example/app}
                """);
        assertTrue(message.contains("creds[0]") && message.contains("NOPE_NOT_SET is not set"), message);
    }

    @Test
    void otherTemplatesInACredentialAreRefused() {
        assertTrue(error("""
                creds:
                  - {registry: r.example, user: u, pass: '{{ .Secret }}'}
                sync:
                  - {source: a.example/app:1, target: r.example/app}
                """).contains("only {{env"));
    }

    @Test
    void platformAndPlatformsTogetherAreRefusedBecauseTheyCopyDifferentThings() {
        assertTrue(error("""
                sync:
                  - {source: a.example/app:1, target: r.example/app, platform: linux/amd64, platforms: [linux/arm64]}
                """).contains("not both"));
    }

    @Test
    void pruneIsRefusedForARegistryTarget() {
        assertTrue(error("""
                sync:
                  - {source: a.example/app, target: r.example/app, type: repository, prune: true}
                """).contains("prune applies to an oci:DIR target only"));
    }

    @Test
    void aSkopeoSyncFileIsReadWithItsDestinationFromTheCommandLine() {
        SyncConfig config = ConfigReader.parse("s.yaml", """
                registry.example.com:
                  images:
                    busybox: []
                    library/redis: ["1.0", "sha256:%s"]
                  images-by-tag-regex:
                    nginx: ^1\\.13\\.[12]-alpine$
                  credentials: {username: john, password: secret}
                  tls-verify: false
                """.formatted("a".repeat(64)).getBytes(StandardCharsets.UTF_8), Map.of(), "mirror.local:5000/up");
        assertEquals(3, config.rules().size());
        assertNull(config.rules().get(0).tags());
        assertEquals(List.of("1.0", "sha256:" + "a".repeat(64)), config.rules().get(1).tags());
        assertEquals("mirror.local:5000/up/redis",
                ((Target.RegistryRepo) config.rules().get(1).target()).repository().name());
        assertTrue(config.rules().get(2).wants("1.13.1-alpine"));
        assertFalse(config.rules().get(2).wants("1.13.3-alpine"));
        assertEquals(List.of("registry.example.com"), config.insecure());
        assertEquals("john", config.credentials().get("registry.example.com").username());
    }

    @Test
    void aSkopeoSyncFileWithoutADestinationIsAConfigError() {
        assertTrue(error("r.example:\n  images:\n    app: []\n").contains("needs a destination"));
    }

    @Test
    void aFileThatIsNotAMappingIsAConfigError() {
        assertTrue(error("- just\n- a list\n").contains("not a YAML mapping"));
    }
}
