package dev.ferry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.Ferry;
import dev.ferry.manifest.Platform;
import dev.ferry.reference.ImageReference;
import dev.ferry.testing.Blob;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.SelfSignedTls;
import dev.ferry.testing.TestImage;
import dev.ferry.location.ImageLocation;
import dev.ferry.transfer.TransferOptions;
import dev.ferry.transfer.TransferListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ferry's base HTTP client speaks plain HTTP only (TLS is set up on first need); a plain registry
 * that redirects blob downloads to HTTPS storage must still be followed, over TLS, without the
 * registry's credentials.
 */
class RedirectToHttpsTest {

    @TempDir
    Path dir;

    FakeRegistry registry;
    MockWebServer storage;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        storage = new MockWebServer();
    }

    @AfterEach
    void stop() {
        storage.close();
        registry.close();
    }

    /** Serves the storage over HTTPS with a certificate for 127.0.0.1, which the returned key pair's trust store holds. */
    private SelfSignedTls serveHttps() throws Exception {
        SelfSignedTls tls = SelfSignedTls.create(dir);
        storage.useHttps(tls.serverSockets());
        return tls;
    }

    @Test
    void aPlainRegistrysRedirectToHttpsStorageIsFollowedOverTlsWithoutTheRegistrysToken() throws Exception {
        SelfSignedTls tls = serveHttps();
        registry.tokenIssuer = registry;
        TestImage image = TestImage.builder().layerTar(Layers.tar(Map.of("etc/hello", "over TLS\n"))).build();
        registry.put("apps/web", "1", image);
        Blob layer = image.layers().getFirst();
        storage.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().body(new Buffer().write(layer.bytes())).build();
            }
        });
        storage.start();
        String storedAt = storage.url("/storage/" + layer.digest().hex()).toString();
        assertTrue(storedAt.startsWith("https://"), storedAt);
        registry.on("/v2/apps/web/blobs/" + layer.digest(), new MockResponse.Builder().code(307)
                .addHeader("Location", storedAt + "?X-Amz-Signature=sig").build());

        try (SelfSignedTls.Trust trusted = tls.trustInThisJvm(); Ferry ferry = Ferry.create()) {
            ferry.copy(new ImageLocation.Docker(ImageReference.parse(registry.hostPort() + "/apps/web:1")),
                    new ImageLocation.Oci(dir.resolve("layout"), "1"), new TransferOptions(Platform.host(), false, 1, false),
                    TransferListener.NONE);
        }

        assertTrue(Files.isRegularFile(dir.resolve("layout/blobs/sha256/" + layer.digest().hex())));
        assertEquals(1, storage.getRequestCount());
        RecordedRequest atStorage = storage.takeRequest();
        assertEquals("sig", atStorage.getUrl().queryParameter("X-Amz-Signature"));
        assertNull(atStorage.getHeaders().get("Authorization"), "the registry's token stays with the registry");
    }
}
