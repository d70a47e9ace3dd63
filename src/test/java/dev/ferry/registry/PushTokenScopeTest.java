package dev.ferry.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.cli.ExitCodes;
import dev.ferry.json.Json;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token scopes of a copy into a registry that wants bearer tokens. The fake grants exactly the
 * scopes asked for and checks them on every request (push on the destination for anything but a
 * read, pull on the source for a mount), as the distribution registry's token auth does.
 */
@org.junit.jupiter.api.Timeout(60)
class PushTokenScopeTest {

    static final String SOURCE = "apps/src";
    static final String TARGET = "apps/dst";

    final TestImage image = TestImage.builder().build();
    FakeRegistry registry;
    FakeRegistry other;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.tokenIssuer = registry;
        registry.put(SOURCE, "1.0", image);
    }

    @AfterEach
    void stop() {
        if (other != null) {
            other.close();
        }
        registry.close();
    }

    static List<Set<String>> scopesAskedFor(FakeRegistry issuer) {
        return issuer.requests("/token").stream().map(RecordedRequest::getUrl)
                .map(url -> Set.copyOf(url.queryParameterValues("scope"))).toList();
    }

    static Set<String> statuses(Cli.Result result) {
        return Set.copyOf(StreamSupport.stream(Json.MAPPER.readTree(result.stdout()).get("Blobs").spliterator(), false)
                .map(blob -> blob.get("Status").asString()).toList());
    }

    @Test
    void theDestinationsTokenIsAskedForWithPullAndPushOnTheDestinationRepository() throws Exception {
        other = FakeRegistry.start();
        other.tokenIssuer = other;

        Cli.Result result = Cli.run("copy", "-q", registry.ref(SOURCE + ":1.0"), other.ref(TARGET + ":2.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertTrue(scopesAskedFor(other).contains(Set.of("repository:" + TARGET + ":pull,push")),
                scopesAskedFor(other).toString());
        assertTrue(scopesAskedFor(other).stream().noneMatch(s -> s.stream().anyMatch(scope -> scope.contains(SOURCE))),
                "nothing of the source's registry asked for here: " + scopesAskedFor(other));
        assertEquals(Set.of(Set.of("repository:" + SOURCE + ":pull")), Set.copyOf(scopesAskedFor(registry)));
        assertArrayEquals(image.manifest().bytes(), other.manifest(TARGET, "2.0").bytes());
    }

    @Test
    void aCopyWithinARegistryAsksForPushOnTheDestinationAndPullOnTheSourceInOneTokenRequest() throws Exception {
        Cli.Result result = Cli.run("copy", "-q", "--format", "json", registry.ref(SOURCE + ":1.0"),
                registry.ref(TARGET + ":2.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        Set<String> both = Set.of("repository:" + TARGET + ":pull,push", "repository:" + SOURCE + ":pull");
        assertTrue(scopesAskedFor(registry).contains(both), scopesAskedFor(registry).toString());
        // The fake mounts only for a token that may pull from the source: every blob mounted proves it was used.
        assertEquals(Set.of("mounted"), statuses(result), result.stdout());
        assertFalse(registry.requests("POST", "/v2/" + TARGET + "/blobs/uploads/").isEmpty());
    }
}
