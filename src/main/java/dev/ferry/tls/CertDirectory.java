package dev.ferry.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A certificate directory read as docker and containers/image read it: every {@code *.crt} is a CA
 * trusted in addition to the system's, every {@code NAME.cert} with its {@code NAME.key} is a client
 * certificate offered to the registry.
 *
 * @param authorities the CA certificates of the {@code *.crt} files
 * @param clients the client certificate chains with their keys
 */
public record CertDirectory(Path dir, List<X509Certificate> authorities, List<Client> clients) {

    public record Client(Path certificate, List<X509Certificate> chain, PrivateKey key) {
    }

    /** What an HTTP client needs: a socket factory and the trust manager behind it. */
    public record Tls(SSLSocketFactory socketFactory, X509TrustManager trustManager) {
    }

    public static CertDirectory read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CertDirectoryException("the certificate directory " + dir + " does not exist");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.sorted().toList();
        } catch (IOException e) {
            throw new CertDirectoryException("cannot list the certificate directory " + dir + ": " + e.getMessage(), e);
        }
        List<X509Certificate> authorities = new ArrayList<>();
        List<Client> clients = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(".crt")) {
                authorities.addAll(PemFiles.certificates(file));
            } else if (name.endsWith(".cert")) {
                Path key = file.resolveSibling(name.substring(0, name.length() - ".cert".length()) + ".key");
                if (!Files.exists(key)) {
                    throw new CertDirectoryException("the client certificate " + file + " has no key: "
                            + key.getFileName() + " is missing");
                }
                clients.add(new Client(file, PemFiles.certificates(file), PemFiles.privateKey(key)));
            } else if (name.endsWith(".key")) {
                Path certificate = file.resolveSibling(name.substring(0, name.length() - ".key".length()) + ".cert");
                if (!Files.exists(certificate)) {
                    throw new CertDirectoryException("the client key " + file + " has no certificate: "
                            + certificate.getFileName() + " is missing");
                }
            }
        }
        return new CertDirectory(dir, List.copyOf(authorities), List.copyOf(clients));
    }

    /**
     * The TLS setup for this directory: the system's CAs and this directory's, or any certificate
     * at all when {@code verify} is false; this directory's client certificates either way (skopeo
     * sends them with {@code --tls-verify=false} too).
     */
    public Tls tls(boolean verify) {
        try {
            X509TrustManager trust = verify ? trustManager() : TrustAll.INSTANCE;
            KeyManager[] keys = keyManagers();
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, new TrustManager[] {trust}, null);
            return new Tls(context.getSocketFactory(), trust);
        } catch (GeneralSecurityException | IOException e) {
            throw new CertDirectoryException("cannot use the certificates in " + dir + ": " + e.getMessage(), e);
        }
    }

    private X509TrustManager trustManager() throws GeneralSecurityException, IOException {
        if (authorities.isEmpty()) {
            return systemTrust();
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int n = 0;
        for (X509Certificate system : systemTrust().getAcceptedIssuers()) {
            store.setCertificateEntry("system-" + n++, system);
        }
        for (X509Certificate authority : authorities) {
            store.setCertificateEntry("dir-" + n++, authority);
        }
        return onlyX509(store);
    }

    static X509TrustManager systemTrust() throws GeneralSecurityException {
        return onlyX509(null);
    }

    private static X509TrustManager onlyX509(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    private KeyManager[] keyManagers() throws GeneralSecurityException, IOException {
        if (clients.isEmpty()) {
            return null;
        }
        char[] none = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int n = 0;
        for (Client client : clients) {
            store.setKeyEntry("client-" + n++, client.key(), none, client.chain().toArray(X509Certificate[]::new));
        }
        // PKIX (not SunX509) picks among several client certificates by the CAs the server names.
        KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
        factory.init(store, none);
        return factory.getKeyManagers();
    }
}
