package dev.ferry.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.cli.ExitCodes;
import dev.ferry.digest.VerificationException;
import dev.ferry.http.HttpClients;
import dev.ferry.reference.ImageReference;
import dev.ferry.testing.Cli;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.TestImage;
import java.io.InputStream;
import java.time.Duration;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BlobFetchTest {

    final TestImage image = TestImage.builder().build();
    FakeRegistry registry;
    FakeRegistry storage;
    RegistryClients clients;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        registry.put("apps/web", "1.0", image);
        registry.tokenIssuer = registry;
        storage = FakeRegistry.start();
        clients = new RegistryClients(HttpClients.create(null, Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        clients.close();
        storage.close();
        registry.close();
    }

    String configPath() {
        return "/v2/apps/web/blobs/" + image.config().digest();
    }

    RegistryClient client() {
        return clients.client(ImageReference.parseRepository(registry.hostPort() + "/apps/web"), RegistryAccess.anonymous());
    }

    /** Sends the config's blob request on to the storage fake, with a signature in the URL. */
    void redirectConfigToStorage() {
        String stored = "/storage/" + image.config().digest().hex();
        registry.on(configPath(), new MockResponse.Builder().code(307)
                .addHeader("Location", storage.url(stored) + "?X-Amz-Signature=sig-0d1e2f&X-Amz-Expires=300").build());
        storage.on(stored, new MockResponse.Builder().body(new Buffer().write(image.config().bytes())).build());
    }

    @Test
    void aBlobRedirectedToStorageElsewhereIsFetchedWithoutTheRegistrysToken() throws Exception {
        redirectConfigToStorage();

        assertArrayEquals(image.config().bytes(), client().blobBytes(image.config().descriptor(), 1 << 20));

        assertTrue(registry.requests(configPath()).getFirst().getHeaders().get("Authorization").startsWith("Bearer "));
        assertNull(storage.requests("/storage/" + image.config().digest().hex()).getFirst().getHeaders().get("Authorization"),
                "the registry's token stays with the registry");
    }

    @Test
    void debugLogsTheRedirectWithoutTheUrlsSignature() {
        redirectConfigToStorage();

        Cli.Result result = Cli.run("--debug", "inspect", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains(storage.hostPort() + "/storage/"), result.stderr());
        assertFalse(result.stderr().contains("sig-0d1e2f"), result.stderr());
    }

    @Test
    void aBlobWhoseBytesDoNotMatchItsDigestFailsOnTheReadThatReachesTheEnd() throws Exception {
        byte[] wrong = image.layers().getFirst().bytes().clone();
        wrong[wrong.length / 2] ^= 1;
        registry.on("/v2/apps/web/blobs/" + image.layers().getFirst().digest(),
                new MockResponse.Builder().body(new Buffer().write(wrong)).build());

        try (InputStream in = client().openBlob(image.layers().getFirst().descriptor())) {
            assertThrows(VerificationException.class, in::readAllBytes);
        }
    }

    @Test
    void aConfigWithTheWrongBytesMakesInspectExitWithVerificationFailure() {
        registry.on(configPath(), new MockResponse.Builder().body("{\"architecture\":\"amd64\",\"os\":\"linux\"}").build());

        Cli.Result result = Cli.run("inspect", registry.ref("apps/web:1.0"));

        assertEquals(ExitCodes.VERIFICATION, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains(image.config().digest().toString()), result.stderr());
    }

    @Test
    void aBlobLongerThanItsDescriptorSaysFailsVerification() {
        byte[] longer = new byte[image.config().bytes().length + 1];
        System.arraycopy(image.config().bytes(), 0, longer, 0, image.config().bytes().length);
        registry.on(configPath(), new MockResponse.Builder().body(new Buffer().write(longer)).build());

        assertThrows(VerificationException.class, () -> client().blobBytes(image.config().descriptor(), 1 << 20));
    }
}
