package dev.ferry.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.auth.Credentials;
import dev.ferry.json.Json;
import dev.ferry.reference.ImageReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Writing auth files as login and logout do: 0600, atomic, every other entry kept. */
class AuthFileTest {

    @TempDir
    Path tmp;

    static Credentials find(Path file, String repository) throws Exception {
        return new CredentialLookup(null, List.of(file), List.of()).find(ImageReference.parseRepository(repository));
    }

    @Test
    void aNewFileAndItsDirectoryAreCreatedReadableByTheOwnerOnly() throws Exception {
        Path file = tmp.resolve("run/containers/auth.json");
        AuthFile auth = AuthFile.read(file);

        auth.put("registry.example:5000", new Credentials("alice", "pw"));
        auth.write();

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals("YWxpY2U6cHc=", Json.MAPPER.readTree(file.toFile()).at("/auths/registry.example:5000/auth").asString());
        assertEquals(new Credentials("alice", "pw"), find(file, "registry.example:5000/app"));
    }

    @Test
    void otherEntriesAndSettingsAreKeptAndAnOpenFileIsReplacedNotRewritten() throws Exception {
        Path file = tmp.resolve("config.json");
        Files.writeString(file, """
                {"auths": {"other.example": {"auth": "b3RoZXI6b3RoZXI="}, "https://index.docker.io/v1/": {}},
                 "credHelpers": {"gcr.io": "gcloud"}, "credsStore": "desktop", "psFormat": "table {{.ID}}",
                 "proxies": {"default": {"httpProxy": "http://proxy:3128"}}}
                """);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        // A second name for the old file: an in-place rewrite would change what it shows, a rename does not.
        Path oldInode = tmp.resolve("old-inode");
        Files.createLink(oldInode, file);
        String before = Files.readString(file);

        AuthFile auth = AuthFile.read(file);
        auth.put("registry.example:5000", new Credentials("alice", "pw"));
        auth.write();

        JsonNode written = Json.MAPPER.readTree(file.toFile());
        assertEquals("b3RoZXI6b3RoZXI=", written.at("/auths/other.example/auth").asString());
        assertTrue(written.at("/auths").has("https://index.docker.io/v1/"));
        assertEquals("gcloud", written.at("/credHelpers/gcr.io").asString());
        assertEquals("desktop", written.get("credsStore").asString());
        assertEquals("table {{.ID}}", written.get("psFormat").asString());
        assertEquals("http://proxy:3128", written.at("/proxies/default/httpProxy").asString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(before, Files.readString(oldInode));
        try (var left = Files.list(tmp)) {
            assertEquals(List.of("config.json", "old-inode"), left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file is left behind");
        }
    }

    @Test
    void loggingInAgainReplacesEverySpellingOfTheRegistry() throws Exception {
        Path file = tmp.resolve("auth.json");
        Files.writeString(file, "{\"auths\":{\"docker.io\":{\"auth\":\"b2xkOm9sZA==\"},"
                + "\"https://index.docker.io/v1/\":{\"auth\":\"b2xkMjpvbGQy\"},\"docker.io/myorg\":{\"auth\":\"b3JnOm9yZw==\"}}}");

        AuthFile auth = AuthFile.read(file);
        auth.put("docker.io", new Credentials("new", "pw"));
        auth.write();

        JsonNode auths = Json.MAPPER.readTree(file.toFile()).get("auths");
        assertEquals(List.of("docker.io/myorg", "https://index.docker.io/v1/"), auths.propertyNames().stream().sorted().toList());
        assertEquals(new Credentials("new", "pw"), find(file, "library/alpine"));
        assertEquals("org", find(file, "myorg/app").username(), "the namespace entry is another key");
    }

    @Test
    void writingThroughASymbolicLinkKeepsTheLink() throws Exception {
        Path real = tmp.resolve("dotfiles/config.json");
        Files.createDirectories(real.getParent());
        Files.writeString(real, "{}");
        Path link = tmp.resolve("config.json");
        Files.createSymbolicLink(link, real);

        AuthFile auth = AuthFile.read(link);
        auth.put("registry.example", new Credentials("alice", "pw"));
        auth.write();

        assertTrue(Files.isSymbolicLink(link));
        assertEquals(new Credentials("alice", "pw"), find(real, "registry.example/app"));
    }

    @Test
    void removeTakesOnlyThatRegistryAndRemoveAllKeepsHelpers() throws Exception {
        Path file = tmp.resolve("auth.json");
        Files.writeString(file, "{\"auths\":{\"https://registry.example/v1/\":{\"auth\":\"YTpi\"},\"other.example\":{\"auth\":\"YzpkCg==\"}},"
                + "\"credHelpers\":{\"gcr.io\":\"gcloud\"}}");

        AuthFile auth = AuthFile.read(file);
        assertTrue(auth.remove("registry.example"));
        assertFalse(auth.remove("registry.example"));
        auth.write();
        assertEquals(List.of("other.example"), Json.MAPPER.readTree(file.toFile()).get("auths").propertyNames().stream().toList());

        AuthFile again = AuthFile.read(file);
        assertTrue(again.removeAll());
        again.write();
        JsonNode written = Json.MAPPER.readTree(file.toFile());
        assertTrue(written.get("auths").isEmpty());
        assertEquals("gcloud", written.at("/credHelpers/gcr.io").asString());
    }

    @Test
    void anEmptyOrMissingFileReadsAsNoCredentials() throws Exception {
        Path empty = tmp.resolve("empty.json");
        Files.writeString(empty, "\n");

        assertEquals(List.of(), AuthFile.read(empty).entries(List.of("registry.example")));
        assertEquals(List.of(), AuthFile.read(tmp.resolve("missing.json")).entries(List.of("registry.example")));
    }
}
