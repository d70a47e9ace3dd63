package dev.ferry.registry;

import dev.ferry.auth.Credentials;
import dev.ferry.credentials.CredentialLookup;
import dev.ferry.tls.Certificates;

/**
 * How to reach one registry: where its credentials come from (asked only when the registry wants
 * them), whether TLS must be verified, and which certificates to trust and offer. A value, so that
 * equal options share one endpoint. {@code tlsVerify=false} also allows plain HTTP, as skopeo's flag
 * of that name does.
 */
public record RegistryAccess(CredentialLookup credentials, boolean tlsVerify, Certificates certificates) {

    public RegistryAccess {
        credentials = credentials == null ? CredentialLookup.none() : credentials;
        certificates = certificates == null ? Certificates.system() : certificates;
    }

    /** Exactly these credentials (anonymous when null), and the system's trust store. */
    public RegistryAccess(Credentials credentials, boolean tlsVerify) {
        this(CredentialLookup.of(credentials), tlsVerify, Certificates.system());
    }

    public static RegistryAccess anonymous() {
        return new RegistryAccess((Credentials) null, true);
    }
}
