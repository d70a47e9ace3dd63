package dev.ferry.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.ConnectException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.Test;

/** The JDK's exceptions, as the handshake throws them, told apart. */
class TlsFailureTest {

    static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        e.initCause(cause);
        return e;
    }

    @Test
    void noPathToATrustedCaIsAnUnknownAuthority() {
        var validator = new CertificateException("PKIX path building failed",
                new CertPathBuilderException("unable to find valid certification path to requested target"));

        assertEquals(TlsFailure.UNKNOWN_AUTHORITY, TlsFailure.of(new IOException("wrapped", handshake("PKIX path building failed", validator))));
        assertEquals(TlsFailure.UNKNOWN_AUTHORITY, TlsFailure.of(handshake("x", new CertificateException(
                new CertPathValidatorException("Path does not chain with any of the trust anchors")))));
    }

    @Test
    void anExpiredCertificateIsToldApart() {
        assertEquals(TlsFailure.EXPIRED, TlsFailure.of(handshake("x", new CertificateExpiredException("NotAfter: ..."))));
        assertEquals(TlsFailure.EXPIRED, TlsFailure.of(handshake("x", new CertPathValidatorException("validity check failed",
                null, null, -1, CertPathValidatorException.BasicReason.EXPIRED))));
    }

    @Test
    void theServersAlertForAMissingClientCertificateIsToldApart() {
        assertEquals(TlsFailure.CLIENT_CERTIFICATE_REFUSED, TlsFailure.of(new SSLException("Received fatal alert: certificate_required")));
        assertEquals(TlsFailure.CLIENT_CERTIFICATE_REFUSED, TlsFailure.of(new SSLHandshakeException("Received fatal alert: bad_certificate")));
    }

    @Test
    void aCertificateForAnotherHostIsToldApart() {
        assertEquals(TlsFailure.WRONG_HOST, TlsFailure.of(new SSLPeerUnverifiedException("Hostname 10.0.0.1 not verified:")));
    }

    @Test
    void otherTlsFailuresAreOtherAndTheRestAreNone() {
        assertEquals(TlsFailure.OTHER, TlsFailure.of(new SSLException("Unsupported or unrecognized SSL message")));
        assertNull(TlsFailure.of(new ConnectException("Connection refused")));
    }
}
