package dev.ferry.tls;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/** What went wrong in a TLS handshake, told from the JDK's exceptions, for a message users can act on. */
public enum TlsFailure {
    /** The server's chain leads to no trusted CA: a private CA nobody told ferry about. */
    UNKNOWN_AUTHORITY,
    /** The server's certificate is outside its validity period. */
    EXPIRED,
    /** The certificate does not name the host that was dialled. */
    WRONG_HOST,
    /** The server wants a client certificate and got none it accepts. */
    CLIENT_CERTIFICATE_REFUSED,
    OTHER;

    /** Classifies a failure, or returns null when it is not a TLS failure at all. */
    public static TlsFailure of(Throwable failure) {
        boolean tls = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            tls |= t instanceof SSLException;
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException
                    || t instanceof CertPathValidatorException v
                    && (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                    || v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
                return EXPIRED;
            }
            if (t instanceof CertPathBuilderException) {
                return UNKNOWN_AUTHORITY;
            }
            if (t instanceof CertPathValidatorException) {
                return UNKNOWN_AUTHORITY;
            }
            if (t instanceof SSLPeerUnverifiedException && String.valueOf(t.getMessage()).contains("not verified")) {
                return WRONG_HOST;
            }
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            // The server's alerts when it wanted a client certificate (TLS 1.3 sends the first one).
            if (t instanceof SSLException && (message.contains("certificate_required")
                    || message.contains("bad_certificate") || message.contains("unknown_ca"))) {
                return CLIENT_CERTIFICATE_REFUSED;
            }
            if (t instanceof java.security.cert.CertificateException && message.contains("no subject alternative")) {
                return WRONG_HOST;
            }
        }
        return tls ? OTHER : null;
    }
}
