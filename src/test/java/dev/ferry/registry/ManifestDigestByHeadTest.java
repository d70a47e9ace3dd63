package dev.ferry.registry;

import dev.ferry.http.HttpClients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.manifest.ManifestException;
import dev.ferry.reference.ImageReference;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/** {@link RegistryClient#manifestDigest}: a tag's digest from one HEAD, never a GET. */
class ManifestDigestByHeadTest {

    static RegistryClient client(RegistryClients clients, FakeRegistry registry) {
        return clients.client(ImageReference.parseRepository(registry.hostPort() + "/apps/web"), RegistryAccess.anonymous());
    }

    @Test
    void aTagsDigestComesFromOneHeadAndNoGet() throws Exception {
        TestImage image = TestImage.builder().layer(Map.of("a", "b")).build();
        try (FakeRegistry registry = FakeRegistry.start().put("apps/web", "1", image);
                RegistryClients clients = new RegistryClients(HttpClients.create(null, Duration.ofSeconds(5),
                        Duration.ofSeconds(5)))) {
            assertEquals(Optional.of(image.digest()), client(clients, registry).manifestDigest("1"));
            assertEquals(1, registry.count("HEAD", "/v2/apps/web/manifests/1"));
            assertEquals(0, registry.count("GET", "/v2/apps/web/manifests/.*"));
            assertTrue(registry.requests("HEAD", "/v2/apps/web/manifests/1").getFirst().getHeaders().get("Accept")
                    .contains("application/vnd.oci.image.index.v1+json"));
        }
    }

    @Test
    void aMissingTagIsEmpty() throws Exception {
        try (FakeRegistry registry = FakeRegistry.start();
                RegistryClients clients = new RegistryClients(HttpClients.create(null, Duration.ofSeconds(5),
                        Duration.ofSeconds(5)))) {
            assertEquals(Optional.empty(), client(clients, registry).manifestDigest("nope"));
        }
    }

    @Test
    void anAnswerWithoutADigestHeaderIsRefusedRatherThanGuessed() throws Exception {
        try (FakeRegistry registry = FakeRegistry.start();
                RegistryClients clients = new RegistryClients(HttpClients.create(null, Duration.ofSeconds(5),
                        Duration.ofSeconds(5)))) {
            registry.on("/v2/apps/web/manifests/1", new MockResponse.Builder().code(200)
                    .setHeader("Content-Length", "0").build());
            assertThrows(ManifestException.class, () -> client(clients, registry).manifestDigest("1"));
        }
    }
}
