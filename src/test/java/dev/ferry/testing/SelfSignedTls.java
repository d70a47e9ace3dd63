package dev.ferry.testing;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * A key pair for 127.0.0.1 made by the JDK's keytool, for a MockWebServer to serve HTTPS with, and
 * a PKCS12 trust store holding its certificate, for the JVM's {@code javax.net.ssl.trustStore}.
 */
public record SelfSignedTls(SSLSocketFactory serverSockets, Path trustStore, String password) {

    public static SelfSignedTls create(Path dir) throws Exception {
        String password = "changeit";
        Path keys = dir.resolve("server.p12");
        Path trust = dir.resolve("trust.p12");
        Path cert = dir.resolve("server.crt");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        External.check(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", keys.toString(),
                "-storetype", "PKCS12", "-storepass", password);
        External.check(keytool, "-exportcert", "-alias", "server", "-keystore", keys.toString(), "-storepass",
                password, "-rfc", "-file", cert.toString());
        External.check(keytool, "-importcert", "-noprompt", "-alias", "server", "-file", cert.toString(),
                "-keystore", trust.toString(), "-storetype", "PKCS12", "-storepass", password);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys)) {
            store.load(in, password.toCharArray());
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(store, password.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.getKeyManagers(), null, null);
        return new SelfSignedTls(context.getSocketFactory(), trust, password);
    }

    private static final List<String> PROPERTIES = List.of("javax.net.ssl.trustStore",
            "javax.net.ssl.trustStoreType", "javax.net.ssl.trustStorePassword");

    /** The JVM's trust store properties as they were, put back on close. */
    public static final class Trust implements AutoCloseable {
        private final List<String> saved = PROPERTIES.stream().map(System::getProperty).toList();

        @Override
        public void close() {
            for (int i = 0; i < PROPERTIES.size(); i++) {
                if (saved.get(i) == null) {
                    System.clearProperty(PROPERTIES.get(i));
                } else {
                    System.setProperty(PROPERTIES.get(i), saved.get(i));
                }
            }
        }
    }

    /** Makes clients built from now on in this JVM trust the certificate, until the answer is closed. */
    public Trust trustInThisJvm() {
        Trust trust = new Trust();
        System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        System.setProperty("javax.net.ssl.trustStorePassword", password);
        return trust;
    }
}
