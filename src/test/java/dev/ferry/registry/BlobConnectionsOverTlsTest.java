package dev.ferry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.Ferry;
import dev.ferry.location.ImageLocation;
import dev.ferry.manifest.Platform;
import dev.ferry.reference.ImageReference;
import dev.ferry.testing.Blob;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.SelfSignedTls;
import dev.ferry.testing.TestImage;
import dev.ferry.transfer.TransferListener;
import dev.ferry.transfer.TransferOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over TLS, blob bodies (downloads, redirects to storage, uploads) go over HTTP/1.1, a connection
 * each, where a server offers HTTP/2 too: over HTTP/2 they would be streams of one connection, and
 * one cap on it would limit them all. Manifests keep HTTP/2.
 */
class BlobConnectionsOverTlsTest {

    static final List<Protocol> H2_AND_H1 = List.of(Protocol.HTTP_2, Protocol.HTTP_1_1);

    @TempDir
    Path dir;

    SelfSignedTls tls;
    SelfSignedTls.Trust trust;
    TestImage image = TestImage.builder().layerTar(Layers.tar(Map.of("etc/hello", "over TLS\n"))).build();

    @BeforeEach
    void trust() throws Exception {
        tls = SelfSignedTls.create(dir);
        trust = tls.trustInThisJvm();
    }

    @AfterEach
    void restore() {
        trust.close();
    }

    void copy(String from, ImageLocation to) throws Exception {
        try (Ferry ferry = Ferry.create()) {
            ferry.copy(new ImageLocation.Docker(ImageReference.parse(from)), to,
                    new TransferOptions(Platform.host(), false, 1, false), TransferListener.NONE);
        }
    }

    static String version(FakeRegistry registry, String method, String pathPattern) {
        List<RecordedRequest> requests = registry.requests(method, pathPattern);
        assertFalse(requests.isEmpty(), method + " " + pathPattern);
        return requests.getFirst().getVersion();
    }

    @Test
    void anHttpsRegistryOfferingHttp2GetsManifestsOverHttp2AndBlobsOverHttp11() throws Exception {
        try (FakeRegistry registry = FakeRegistry.startHttps(tls.serverSockets(), H2_AND_H1)) {
            registry.put("apps/web", "1", image);

            copy(registry.hostPort() + "/apps/web:1", new ImageLocation.Oci(dir.resolve("layout"), "1"));

            Blob layer = image.layers().getFirst();
            assertTrue(Files.isRegularFile(dir.resolve("layout/blobs/sha256/" + layer.digest().hex())));
            assertEquals("HTTP/2", version(registry, "GET", "/v2/apps/web/manifests/1"), "small requests keep HTTP/2");
            assertEquals("HTTP/1.1", version(registry, "GET", "/v2/apps/web/blobs/" + layer.digest()),
                    "the layer's body on a connection of its own");
        }
    }

    @Test
    void aBlobRedirectedToStorageThatSpeaksHttp2ComesOverHttp11() throws Exception {
        Blob layer = image.layers().getFirst();
        try (FakeRegistry registry = FakeRegistry.start(); MockWebServer storage = new MockWebServer()) {
            storage.useHttps(tls.serverSockets());
            storage.setProtocols(H2_AND_H1);
            storage.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return new MockResponse.Builder().body(new Buffer().write(layer.bytes())).build();
                }
            });
            storage.start();
            String storedAt = storage.url("/storage/" + layer.digest().hex()).toString();
            registry.put("apps/web", "1", image);
            registry.on("/v2/apps/web/blobs/" + layer.digest(), new MockResponse.Builder().code(307)
                    .addHeader("Location", storedAt).build());
            // The storage speaks HTTP/2 to a client that offers it.
            try (Response plain = new OkHttpClient().newCall(new Request.Builder().url(storedAt).build()).execute()) {
                assertEquals(Protocol.HTTP_2, plain.protocol());
            }
            storage.takeRequest();

            copy(registry.hostPort() + "/apps/web:1", new ImageLocation.Oci(dir.resolve("layout"), "1"));

            assertTrue(Files.isRegularFile(dir.resolve("layout/blobs/sha256/" + layer.digest().hex())));
            assertEquals("HTTP/1.1", storage.takeRequest().getVersion(), "the blob's body on a connection of its own");
        }
    }

    @Test
    void aCopyToAnHttpsRegistryOfferingHttp2UploadsBlobsOverHttp11() throws Exception {
        try (FakeRegistry source = FakeRegistry.start();
                FakeRegistry target = FakeRegistry.startHttps(tls.serverSockets(), H2_AND_H1)) {
            source.put("apps/web", "1", image);

            copy(source.hostPort() + "/apps/web:1", new ImageLocation.Docker(
                    ImageReference.parse(target.hostPort() + "/apps/copied:1")));

            Blob layer = image.layers().getFirst();
            assertEquals(layer.bytes().length, target.blob("apps/copied", layer.digest()).length);
            List<RecordedRequest> uploads = new java.util.ArrayList<>(target.requests("PUT", "/v2/apps/copied/blobs/uploads/.*"));
            uploads.addAll(target.requests("PATCH", "/v2/apps/copied/blobs/uploads/.*"));
            assertFalse(uploads.isEmpty());
            assertTrue(uploads.stream().allMatch(r -> r.getVersion().equals("HTTP/1.1")),
                    "every upload's body on a connection of its own");
            assertEquals("HTTP/2", version(target, "PUT", "/v2/apps/copied/manifests/1"), "the manifest keeps HTTP/2");
        }
    }
}
