package dev.ferry.credentials;

import java.io.IOException;

/**
 * Credentials that could not be looked up or stored: an auth file that is not valid, a credential
 * helper that is missing or failed. The message names the file or helper, never a secret.
 */
public final class CredentialsException extends IOException {

    public CredentialsException(String message) {
        super(message);
    }

    public CredentialsException(String message, Throwable cause) {
        super(message, cause);
    }
}
