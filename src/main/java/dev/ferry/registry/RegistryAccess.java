package dev.ferry.registry;

import dev.ferry.auth.Credentials;

/**
 * How to reach one registry: credentials (null for anonymous) and whether TLS must be verified.
 * {@code tlsVerify=false} also allows plain HTTP, as skopeo's flag of that name does.
 */
public record RegistryAccess(Credentials credentials, boolean tlsVerify) {

    public static RegistryAccess anonymous() {
        return new RegistryAccess(null, true);
    }
}
