package dev.ferry.reference;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.digest.Digest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ImageReferenceTest {

    private static final String HEX = "0123456789abcdef".repeat(4);
    private static final String SHA = "sha256:" + HEX;
    private static final String TAG_128 = "t" + "x".repeat(127);

    static Stream<Arguments> validReferences() {
        // input, registry name, repository path, tag, digest, toString
        return Stream.of(
                Arguments.of("alpine", "docker.io", "library/alpine", "latest", null, "docker.io/library/alpine:latest"),
                Arguments.of("user/app", "docker.io", "user/app", "latest", null, "docker.io/user/app:latest"),
                Arguments.of("docker.io/alpine", "docker.io", "library/alpine", "latest", null,
                        "docker.io/library/alpine:latest"),
                Arguments.of("index.docker.io/library/alpine", "docker.io", "library/alpine", "latest", null,
                        "docker.io/library/alpine:latest"),
                Arguments.of("registry-1.docker.io/alpine:3", "docker.io", "library/alpine", "3", null,
                        "docker.io/library/alpine:3"),
                Arguments.of("localhost/app", "localhost", "app", "latest", null, "localhost/app:latest"),
                Arguments.of("localhost:5000/app:1", "localhost:5000", "app", "1", null, "localhost:5000/app:1"),
                Arguments.of("127.0.0.1:5000/a/b/c", "127.0.0.1:5000", "a/b/c", "latest", null,
                        "127.0.0.1:5000/a/b/c:latest"),
                Arguments.of("[::1]:5000/app", "[::1]:5000", "app", "latest", null, "[::1]:5000/app:latest"),
                Arguments.of("registry.example.com/team/app:v1.2.3", "registry.example.com", "team/app", "v1.2.3", null,
                        "registry.example.com/team/app:v1.2.3"),
                Arguments.of("Host.Example.COM/app", "Host.Example.COM", "app", "latest", null,
                        "Host.Example.COM/app:latest"),
                Arguments.of("UPPER/app", "UPPER", "app", "latest", null, "UPPER/app:latest"),
                Arguments.of("app:tag@" + SHA, "docker.io", "library/app", "tag", SHA,
                        "docker.io/library/app:tag@" + SHA),
                Arguments.of("app@" + SHA, "docker.io", "library/app", null, SHA, "docker.io/library/app@" + SHA),
                Arguments.of("a.b", "docker.io", "library/a.b", "latest", null, "docker.io/library/a.b:latest"),
                Arguments.of("a_b", "docker.io", "library/a_b", "latest", null, "docker.io/library/a_b:latest"),
                Arguments.of("a__b", "docker.io", "library/a__b", "latest", null, "docker.io/library/a__b:latest"),
                Arguments.of("a---b", "docker.io", "library/a---b", "latest", null, "docker.io/library/a---b:latest"),
                Arguments.of("app:_Tag-1.x", "docker.io", "library/app", "_Tag-1.x", null,
                        "docker.io/library/app:_Tag-1.x"),
                Arguments.of("app:" + TAG_128, "docker.io", "library/app", TAG_128, null,
                        "docker.io/library/app:" + TAG_128),
                // Like Docker: without a slash, "localhost:5000" is the Hub repository "localhost" with tag "5000".
                Arguments.of("localhost:5000", "docker.io", "library/localhost", "5000", null,
                        "docker.io/library/localhost:5000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validReferences")
    void validReferencesParseWithDockerDefaults(String input, String registry, String path, String tag, String digest,
            String canonical) {
        ImageReference ref = ImageReference.parse(input);
        assertAll(
                () -> assertEquals(registry, ref.registry().name(), "registry"),
                () -> assertEquals(path, ref.repository().path(), "path"),
                () -> assertEquals(tag, ref.tag(), "tag"),
                () -> assertEquals(digest == null ? null : Digest.parse(digest), ref.digest(), "digest"),
                () -> assertEquals(canonical, ref.toString(), "toString"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validReferences")
    void theCanonicalFormParsesBackToTheSameReference(String input, String registry, String path, String tag,
            String digest, String canonical) {
        assertEquals(ImageReference.parse(input), ImageReference.parse(canonical));
    }

    @Test
    void theDigestDecidesWhatIsFetchedWhenBothTagAndDigestAreGiven() {
        ImageReference ref = ImageReference.parse("app:tag@" + SHA);
        assertEquals(SHA, ref.manifestReference());
        assertEquals("tag", ref.tag());
    }

    @Test
    void theTagIsFetchedWhenThereIsNoDigest() {
        assertEquals("v1", ImageReference.parse("app:v1").manifestReference());
        assertEquals("latest", ImageReference.parse("app").manifestReference());
    }

    @Test
    void withDigestDropsTheTagAndKeepsTheRepository() {
        Digest other = Digest.parse("sha256:" + "f".repeat(64));
        ImageReference ref = ImageReference.parse("example.com/a/b:v1").withDigest(other);
        assertEquals("example.com/a/b@" + other, ref.toString());
        assertNull(ref.tag());
    }

    @Test
    void aNameOfExactly255CharactersIsAccepted() {
        String name = "a".repeat(255);
        assertEquals("library/" + name, ImageReference.parse(name).repository().path());
    }

    static Stream<Arguments> invalidReferences() {
        // input, a fragment the message must contain
        return Stream.of(
                Arguments.of("", "empty"),
                Arguments.of("docker.io/Foo", "lowercase"),
                Arguments.of("example.com/team/App:1", "lowercase"),
                Arguments.of("app:", "invalid tag ''"),
                Arguments.of("app:" + TAG_128 + "x", "up to 128"),
                Arguments.of("app:.tag", "not starting with '.' or '-'"),
                Arguments.of("app:-tag", "not starting with '.' or '-'"),
                Arguments.of("app:t@g", "expected algorithm:hex"),
                Arguments.of("app@sha256:short", "64 lowercase hex"),
                Arguments.of("app@sha256:" + HEX.toUpperCase(), "64 lowercase hex"),
                Arguments.of("app@md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported digest algorithm 'md5'"),
                Arguments.of("app@", "expected algorithm:hex"),
                Arguments.of("@" + SHA, "repository name is empty"),
                Arguments.of(":tag", "repository name is empty"),
                Arguments.of("a//b", "invalid repository name 'a//b'"),
                Arguments.of("-a", "invalid repository name '-a'"),
                Arguments.of("a-", "invalid repository name 'a-'"),
                Arguments.of("a..b", "invalid repository name 'a..b'"),
                Arguments.of("a___b", "invalid repository name 'a___b'"),
                Arguments.of("a/", "invalid repository name 'a/'"),
                Arguments.of("example.com/", "invalid repository name ''"),
                Arguments.of("a b", "invalid repository name 'a b'"),
                Arguments.of("a".repeat(256), "longer than 255"),
                Arguments.of("example.com/" + "a".repeat(244), "longer than 255"),
                Arguments.of("bad_host.com/x", "invalid registry host 'bad_host.com'"),
                Arguments.of("bad_host.com:5000/x", "invalid registry host 'bad_host.com:5000'"),
                Arguments.of("-host.com/x", "invalid registry host '-host.com'"),
                Arguments.of("host-.com/x", "invalid registry host 'host-.com'"),
                Arguments.of("host.com:port/x", "invalid registry host 'host.com:port'"),
                Arguments.of("::1/app", "invalid registry host '::1'"),
                Arguments.of("[::1/app", "invalid registry host '[::1'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidReferences")
    void invalidReferencesAreRejectedWithTheReason(String input, String reason) {
        ReferenceFormatException e = assertThrows(ReferenceFormatException.class, () -> ImageReference.parse(input));
        assertTrue(e.getMessage().contains(reason), () -> "message '" + e.getMessage() + "' lacks '" + reason + "'");
        assertEquals(input, e.reference());
    }

    @Test
    void aNullReferenceIsRejectedAsEmpty() {
        ReferenceFormatException e = assertThrows(ReferenceFormatException.class, () -> ImageReference.parse(null));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "alpine,               docker.io,          library/alpine",
            "localhost:5000/a/b,   localhost:5000,     a/b",
            "quay.io/org/app,      quay.io,            org/app",
    })
    void parseRepositoryTakesANameWithoutTagOrDigest(String input, String registry, String path) {
        Repository repo = ImageReference.parseRepository(input);
        assertEquals(registry, repo.registry().name());
        assertEquals(path, repo.path());
    }

    @ParameterizedTest
    @CsvSource({"alpine:latest", "quay.io/org/app:v1", "app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void parseRepositoryRejectsTagsAndDigests(String input) {
        ReferenceFormatException e = assertThrows(ReferenceFormatException.class,
                () -> ImageReference.parseRepository(input));
        assertTrue(e.getMessage().contains("a repository was expected"), e.getMessage());
    }

    @Test
    void parseRepositoryStillValidatesTheName() {
        assertThrows(ReferenceFormatException.class, () -> ImageReference.parseRepository("docker.io/Foo"));
    }

    @Test
    void repositoryScopesNameThePathOnly() {
        assertEquals("repository:library/alpine:pull",
                ImageReference.parse("alpine").repository().scope("pull"));
    }
}
