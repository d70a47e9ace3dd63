package dev.ferry.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and password, or an identity token (an OAuth2 refresh token that {@code docker login}
 * stores for some registries instead of the password). {@link #toString()} never shows the secret.
 *
 * @param username may be null with an identity token
 * @param password null with an identity token
 * @param identityToken null with a password
 */
public record Credentials(String username, String password, String identityToken) {

    public Credentials(String username, String password) {
        this(username, password, null);
    }

    public static Credentials identityToken(String username, String token) {
        return new Credentials(username, null, token);
    }

    /** Parses {@code USER:PASS} as {@code --creds} takes it; the password may contain colons. */
    public static Credentials parse(String userColonPass) {
        int colon = userColonPass.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("credentials must be USER:PASSWORD");
        }
        return new Credentials(userColonPass.substring(0, colon), userColonPass.substring(colon + 1));
    }

    public boolean hasIdentityToken() {
        return identityToken != null;
    }

    /** The value of a Basic {@code Authorization} header. */
    public String basicHeader() {
        String pair = username + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** Who these credentials are for messages and cache keys: the user name, or a token marker. */
    public String who() {
        return username != null && !username.isEmpty() ? username : "<token>";
    }

    @Override
    public String toString() {
        return "Credentials[" + who() + ":***]";
    }
}
