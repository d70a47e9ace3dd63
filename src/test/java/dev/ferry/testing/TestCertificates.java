package dev.ferry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * A private CA made by openssl for one test class, with a server certificate for 127.0.0.1 and
 * localhost and a client certificate, laid out as certificate directories ferry reads. The test's
 * own HTTP client is built with the JDK's key stores, independently of ferry's PEM reading.
 */
public final class TestCertificates {

    private static final String P12_PASSWORD = "ferry-test";
    private static final String EC = "ec";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    public static TestCertificates create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String d = dir.toString() + "/";
        External.check("openssl", "req", "-x509", "-new", "-newkey", EC, "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-days", "2", "-subj", "/CN=ferry test CA", "-keyout", d + "ca.key", "-out", d + "ca.crt",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        sign(dir, "server", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        sign(dir, "client", "/CN=ferry test client", "extendedKeyUsage=clientAuth\n");
        External.check("openssl", "pkcs12", "-export", "-in", d + "client.cert", "-inkey", d + "client.key",
                "-out", d + "client.p12", "-passout", "pass:" + P12_PASSWORD);
        Files.createDirectories(dir.resolve("ca-only"));
        Files.copy(dir.resolve("ca.crt"), dir.resolve("ca-only/ca.crt"));
        Files.createDirectories(dir.resolve("with-client"));
        Files.copy(dir.resolve("ca.crt"), dir.resolve("with-client/ca.crt"));
        Files.copy(dir.resolve("client.cert"), dir.resolve("with-client/client.cert"));
        Files.copy(dir.resolve("client.key"), dir.resolve("with-client/client.key"));
        return new TestCertificates(dir);
    }

    private static void sign(Path dir, String name, String subject, String extensions)
            throws IOException, InterruptedException {
        String d = dir.toString() + "/";
        External.check("openssl", "req", "-new", "-newkey", EC, "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-subj", subject, "-keyout", d + name + ".key", "-out", d + name + ".csr");
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        External.check("openssl", "x509", "-req", "-in", d + name + ".csr", "-CA", d + "ca.crt", "-CAkey", d + "ca.key",
                "-CAcreateserial", "-days", "2", "-out", d + name + (name.equals("client") ? ".cert" : ".crt"),
                "-extfile", d + name + ".ext");
    }

    public Path dir() {
        return dir;
    }

    public Path serverCert() {
        return dir.resolve("server.crt");
    }

    public Path serverKey() {
        return dir.resolve("server.key");
    }

    public Path caCert() {
        return dir.resolve("ca.crt");
    }

    /** A certificate directory holding the CA only. */
    public Path caDir() {
        return dir.resolve("ca-only");
    }

    /** A certificate directory holding the CA and the client certificate with its key. */
    public Path clientDir() {
        return dir.resolve("with-client");
    }

    /** The registry options of {@code scripts/registry} for a server with this CA's certificate. */
    public String[] registryOptions(boolean requireClientCertificate) {
        return requireClientCertificate
                ? new String[] {"--tls-cert", serverCert().toString(), "--tls-key", serverKey().toString(),
                    "--client-ca", caCert().toString()}
                : new String[] {"--tls-cert", serverCert().toString(), "--tls-key", serverKey().toString()};
    }

    /** An HTTP client that trusts this CA and presents the client certificate. */
    public OkHttpClient httpClient() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caCert())) {
            trust.setCertificateEntry("ca", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyStore client = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("client.p12"))) {
            client.load(in, P12_PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(client, P12_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return new OkHttpClient.Builder()
                .sslSocketFactory(context.getSocketFactory(), (X509TrustManager) tmf.getTrustManagers()[0])
                .build();
    }
}
