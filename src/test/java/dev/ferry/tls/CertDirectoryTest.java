package dev.ferry.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.External;
import dev.ferry.testing.TestCertificates;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificate directories as docker and podman lay them out, with keys in every form openssl writes. */
class CertDirectoryTest {

    @TempDir
    static Path shared;
    static TestCertificates certs;

    @TempDir
    Path tmp;

    @BeforeAll
    static void makeCa() throws Exception {
        certs = TestCertificates.create(shared.resolve("ca"));
    }

    static X509Certificate certificate(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** The key signs what the certificate's public key verifies: they are a pair. */
    static void assertPair(PrivateKey key, X509Certificate certificate) throws Exception {
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update("ferry".getBytes(StandardCharsets.UTF_8));
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update("ferry".getBytes(StandardCharsets.UTF_8));
        assertTrue(verifier.verify(signature));
    }

    @Test
    void crtFilesAreAuthoritiesAndCertKeyPairsAreClientCertificates() throws Exception {
        CertDirectory dir = CertDirectory.read(certs.clientDir());

        assertEquals(List.of(certificate(certs.caCert())), dir.authorities());
        assertEquals(1, dir.clients().size());
        assertPair(dir.clients().getFirst().key(), dir.clients().getFirst().chain().getFirst());
    }

    @Test
    void theTrustManagerTrustsTheDirectorysCaBesideTheSystemsAndNothingElse() throws Exception {
        var trust = CertDirectory.read(certs.caDir()).tls(true).trustManager();
        X509Certificate server = certificate(certs.serverCert());

        trust.checkServerTrusted(new X509Certificate[] {server}, "ECDHE_ECDSA");
        assertTrue(trust.getAcceptedIssuers().length > 1, "the system's CAs are still trusted");
        var systemOnly = CertDirectory.read(Files.createDirectories(tmp.resolve("empty"))).tls(true).trustManager();
        assertThrows(CertificateException.class, () -> systemOnly.checkServerTrusted(new X509Certificate[] {server}, "ECDHE_ECDSA"));
    }

    @Test
    void pkcs1RsaAndSec1EcKeysAreReadAsWellAsPkcs8() throws Exception {
        String d = tmp + "/";
        External.check("openssl", "genrsa", "-traditional", "-out", d + "rsa.key", "2048");
        External.check("openssl", "req", "-x509", "-key", d + "rsa.key", "-subj", "/CN=rsa", "-days", "1", "-out", d + "rsa.cert");
        // ecparam writes an EC PARAMETERS block before the EC PRIVATE KEY one.
        External.check("openssl", "ecparam", "-genkey", "-name", "secp384r1", "-out", d + "ec.key");
        External.check("openssl", "req", "-x509", "-key", d + "ec.key", "-subj", "/CN=ec", "-days", "1", "-out", d + "ec.cert");
        assertTrue(Files.readString(tmp.resolve("rsa.key")).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertTrue(Files.readString(tmp.resolve("ec.key")).contains("-----BEGIN EC PRIVATE KEY-----"));

        CertDirectory dir = CertDirectory.read(tmp);

        assertEquals(2, dir.clients().size());
        for (CertDirectory.Client client : dir.clients()) {
            assertPair(client.key(), client.chain().getFirst());
        }
        dir.tls(true); // the key store takes both
    }

    @Test
    void aClientCertificateWithoutItsKeyIsReportedByName() throws Exception {
        Files.copy(certs.clientDir().resolve("client.cert"), tmp.resolve("client.cert"));

        CertDirectoryException e = assertThrows(CertDirectoryException.class, () -> CertDirectory.read(tmp));

        assertTrue(e.getMessage().contains("client.key is missing"), e.getMessage());
    }

    @Test
    void aKeyWithoutItsCertificateIsReportedByName() throws Exception {
        Files.copy(certs.clientDir().resolve("client.key"), tmp.resolve("client.key"));

        CertDirectoryException e = assertThrows(CertDirectoryException.class, () -> CertDirectory.read(tmp));

        assertTrue(e.getMessage().contains("client.cert is missing"), e.getMessage());
    }

    @Test
    void anEncryptedKeyIsReportedWithHowToDecryptIt() throws Exception {
        External.check("openssl", "pkcs8", "-topk8", "-in", certs.clientDir().resolve("client.key").toString(),
                "-out", tmp.resolve("client.key").toString(), "-passout", "pass:secret");
        Files.copy(certs.clientDir().resolve("client.cert"), tmp.resolve("client.cert"));

        CertDirectoryException e = assertThrows(CertDirectoryException.class, () -> CertDirectory.read(tmp));

        assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
    }

    @Test
    void aCrtFileThatIsNotACertificateIsReported() throws Exception {
        Files.writeString(tmp.resolve("ca.crt"), "not a certificate\n");

        CertDirectoryException e = assertThrows(CertDirectoryException.class, () -> CertDirectory.read(tmp));

        assertTrue(e.getMessage().contains("ca.crt"), e.getMessage());
    }

    @Test
    void theNamedDirectoryWinsElseTheFirstPerHostDirectoryThatExists() throws Exception {
        Path containers = tmp.resolve("containers/certs.d");
        Path docker = tmp.resolve("docker/certs.d");
        Files.createDirectories(docker.resolve("registry.example:5000"));
        Files.createDirectories(docker.resolve("other.example"));
        Files.createDirectories(containers.resolve("other.example"));
        Certificates standard = Certificates.standard(null, Map.of("FERRY_CERTS_D", containers + ":" + docker));

        assertEquals(docker.resolve("registry.example:5000"), standard.directoryFor("registry.example:5000"));
        assertEquals(containers.resolve("other.example"), standard.directoryFor("other.example"));
        assertNull(standard.directoryFor("registry.example"), "the port is part of the directory name");
        assertEquals(tmp, Certificates.standard(tmp, Map.of()).directoryFor("registry.example:5000"));
        assertEquals(Certificates.DEFAULT_ROOTS, Certificates.standard(null, Map.of()).perHostRoots());
    }
}
