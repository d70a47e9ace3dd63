package dev.ferry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.Ferry;
import dev.ferry.manifest.Platform;
import dev.ferry.reference.ImageReference;
import dev.ferry.testing.Blob;
import dev.ferry.testing.External;
import dev.ferry.testing.FakeRegistry;
import dev.ferry.testing.Layers;
import dev.ferry.testing.TestImage;
import dev.ferry.location.ImageLocation;
import dev.ferry.transfer.TransferOptions;
import dev.ferry.transfer.TransferListener;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ferry's base HTTP client speaks plain HTTP only (TLS is set up on first need); a plain registry
 * that redirects blob downloads to HTTPS storage must still be followed, over TLS, without the
 * registry's credentials. Over TLS, blob bodies go over HTTP/1.1, a connection each, where a
 * server offers HTTP/2 too; small requests keep HTTP/2.
 */
class RedirectToHttpsTest {

    static final String PASSWORD = "changeit";

    @TempDir
    Path dir;

    FakeRegistry registry;
    MockWebServer storage;
    String savedTrustStore;
    String savedTrustStoreType;
    String savedTrustStorePassword;

    @BeforeEach
    void start() throws Exception {
        registry = FakeRegistry.start();
        storage = new MockWebServer();
        savedTrustStore = System.getProperty("javax.net.ssl.trustStore");
        savedTrustStoreType = System.getProperty("javax.net.ssl.trustStoreType");
        savedTrustStorePassword = System.getProperty("javax.net.ssl.trustStorePassword");
    }

    @AfterEach
    void stop() {
        restore("javax.net.ssl.trustStore", savedTrustStore);
        restore("javax.net.ssl.trustStoreType", savedTrustStoreType);
        restore("javax.net.ssl.trustStorePassword", savedTrustStorePassword);
        storage.close();
        registry.close();
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    /** A key pair for 127.0.0.1 made by keytool, served by the storage, and a trust store holding its certificate. */
    private Path serveHttpsAndTrustIt() throws Exception {
        Path keys = dir.resolve("storage.p12");
        Path trust = dir.resolve("trust.p12");
        Path cert = dir.resolve("storage.crt");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        External.check(keytool, "-genkeypair", "-alias", "storage", "-keyalg", "EC", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", keys.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD);
        External.check(keytool, "-exportcert", "-alias", "storage", "-keystore", keys.toString(), "-storepass",
                PASSWORD, "-rfc", "-file", cert.toString());
        External.check(keytool, "-importcert", "-noprompt", "-alias", "storage", "-file", cert.toString(),
                "-keystore", trust.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.getKeyManagers(), null, null);
        storage.useHttps(context.getSocketFactory());
        return trust;
    }

    @Test
    void aPlainRegistrysRedirectToHttpsStorageIsFollowedOverTlsWithoutTheRegistrysToken() throws Exception {
        Path trust = serveHttpsAndTrustIt();
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
        System.setProperty("javax.net.ssl.trustStore", trust.toString());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);

        try (Ferry ferry = Ferry.create()) {
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

    @Test
    void aBlobFromStorageThatOffersHttp2ComesOverHttp11OnAConnectionOfItsOwn() throws Exception {
        Path trust = serveHttpsAndTrustIt();
        storage.setProtocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
        TestImage image = TestImage.builder().layerTar(Layers.tar(Map.of("etc/hello", "one connection\n"))).build();
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
        registry.on("/v2/apps/web/blobs/" + layer.digest(), new MockResponse.Builder().code(307)
                .addHeader("Location", storedAt).build());
        System.setProperty("javax.net.ssl.trustStore", trust.toString());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
        // The storage speaks HTTP/2 to a client that offers it.
        try (Response plain = new OkHttpClient().newCall(new Request.Builder().url(storedAt).build()).execute()) {
            assertEquals(Protocol.HTTP_2, plain.protocol());
        }
        storage.takeRequest();

        try (Ferry ferry = Ferry.create()) {
            ferry.copy(new ImageLocation.Docker(ImageReference.parse(registry.hostPort() + "/apps/web:1")),
                    new ImageLocation.Oci(dir.resolve("layout"), "1"), new TransferOptions(Platform.host(), false, 1, false),
                    TransferListener.NONE);
        }

        assertTrue(Files.isRegularFile(dir.resolve("layout/blobs/sha256/" + layer.digest().hex())));
        RecordedRequest blob = storage.takeRequest();
        assertEquals("HTTP/1.1", blob.getVersion(), "the blob's body on a connection of its own");
    }

    @Test
    void anHttpsRegistryOfferingHttp2GetsManifestsOverHttp2AndBlobsOverHttp11() throws Exception {
        Path trust = serveHttpsAndTrustIt();
        storage.setProtocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
        TestImage image = TestImage.builder().layerTar(Layers.tar(Map.of("etc/hello", "over h1\n"))).build();
        Map<String, Blob> paths = Map.of(
                "/v2/apps/web/manifests/1", image.manifest(),
                "/v2/apps/web/blobs/" + image.config().digest(), image.config(),
                "/v2/apps/web/blobs/" + image.layers().getFirst().digest(), image.layers().getFirst());
        storage.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                Blob blob = paths.get(request.getUrl().encodedPath());
                if (request.getUrl().encodedPath().equals("/v2/")) {
                    return new MockResponse.Builder().body("{}").build();
                }
                return blob == null ? new MockResponse.Builder().code(404).build()
                        : new MockResponse.Builder().setHeader("Content-Type", blob.mediaType())
                                .setHeader("Docker-Content-Digest", blob.digest().toString())
                                .body(new Buffer().write(blob.bytes())).build();
            }
        });
        storage.start();
        System.setProperty("javax.net.ssl.trustStore", trust.toString());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);

        try (Ferry ferry = Ferry.create()) {
            ferry.copy(new ImageLocation.Docker(ImageReference.parse(storage.getHostName() + ":" + storage.getPort()
                    + "/apps/web:1")), new ImageLocation.Oci(dir.resolve("layout"), "1"),
                    new TransferOptions(Platform.host(), false, 1, false), TransferListener.NONE);
        }

        assertTrue(Files.isRegularFile(dir.resolve("layout/blobs/sha256/" + image.layers().getFirst().digest().hex())));
        Map<String, String> versions = new java.util.HashMap<>();
        for (int i = storage.getRequestCount(); i > 0; i--) {
            RecordedRequest request = storage.takeRequest();
            versions.put(request.getUrl().encodedPath(), request.getVersion());
        }
        assertEquals("HTTP/2", versions.get("/v2/apps/web/manifests/1"), "small requests keep HTTP/2");
        assertEquals("HTTP/1.1", versions.get("/v2/apps/web/blobs/" + image.layers().getFirst().digest()),
                "the layer's body on a connection of its own");
    }
}
