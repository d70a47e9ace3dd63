package dev.ferry.auth;

import java.io.IOException;

/**
 * Authentication that failed: the registry or its token service refused the credentials, or the
 * token service answered something that is not a token.
 */
public final class AuthenticationException extends IOException {

    private final int status;
    private final boolean refused;

    public AuthenticationException(String message, int status, boolean refused) {
        super(message);
        this.status = status;
        this.refused = refused;
    }

    /** The HTTP status of the failing answer, or 0 when there was none. */
    public int status() {
        return status;
    }

    /** True when the credentials (or their absence) were refused, as opposed to a broken service. */
    public boolean refused() {
        return refused;
    }
}
