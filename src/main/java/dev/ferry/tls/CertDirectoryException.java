package dev.ferry.tls;

/**
 * A certificate directory that cannot be used: a file that is not PEM, a client certificate without
 * its key, a key ferry cannot read. Unchecked: it surfaces where HTTP clients are built.
 */
public final class CertDirectoryException extends RuntimeException {

    public CertDirectoryException(String message) {
        super(message);
    }

    public CertDirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
