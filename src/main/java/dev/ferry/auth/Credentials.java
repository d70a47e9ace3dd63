package dev.ferry.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and password (or token). {@link #toString()} never shows the secret. */
public record Credentials(String username, String password) {

    /** Parses {@code USER:PASS} as {@code --creds} takes it; the password may contain colons. */
    public static Credentials parse(String userColonPass) {
        int colon = userColonPass.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("credentials must be USER:PASSWORD");
        }
        return new Credentials(userColonPass.substring(0, colon), userColonPass.substring(colon + 1));
    }

    /** The value of a Basic {@code Authorization} header. */
    public String basicHeader() {
        String pair = username + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ":***]";
    }
}
