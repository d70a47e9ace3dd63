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
public record RegistryAccess(CredentialLookup credentials, boolean tlsVerify, Certificates certificates,
        String registryToken) {

    /**
     * @param registryToken a bearer token to send as it is, without asking the registry's token
     *     service (skopeo's {@code --registry-token}); null to authenticate as the registry asks
     */
    public RegistryAccess {
        credentials = credentials == null ? CredentialLookup.none() : credentials;
        certificates = certificates == null ? Certificates.system() : certificates;
    }

    public RegistryAccess(CredentialLookup credentials, boolean tlsVerify, Certificates certificates) {
        this(credentials, tlsVerify, certificates, null);
    }

    /** Exactly these credentials (anonymous when null), and the system's trust store. */
    public RegistryAccess(Credentials credentials, boolean tlsVerify) {
        this(CredentialLookup.of(credentials), tlsVerify, Certificates.system());
    }

    public static RegistryAccess anonymous() {
        return new RegistryAccess((Credentials) null, true);
    }

    /** Never shows the registry token. */
    @Override
    public String toString() {
        return "RegistryAccess[credentials=" + credentials + ", tlsVerify=" + tlsVerify + ", certificates="
                + certificates + ", registryToken=" + (registryToken == null ? "none" : "***") + "]";
    }

    // Written out: a record's generated equals and hashCode are bound on first call through
    // invokedynamic and method handles, which the AOT cache does not keep; an access is compared on
    // every command's start-up path.
    @Override
    public boolean equals(Object o) {
        return o instanceof RegistryAccess a && tlsVerify == a.tlsVerify && credentials.equals(a.credentials)
                && certificates.equals(a.certificates) && java.util.Objects.equals(registryToken, a.registryToken);
    }

    @Override
    public int hashCode() {
        return ((credentials.hashCode() * 31 + Boolean.hashCode(tlsVerify)) * 31 + certificates.hashCode()) * 31
                + java.util.Objects.hashCode(registryToken);
    }
}
