package dev.ferry.registry;

import dev.ferry.http.HttpClients;
import dev.ferry.http.TlsOnDemand;
import dev.ferry.reference.Registry;
import dev.ferry.tls.CertDirectory;
import java.nio.file.Path;
import okhttp3.OkHttpClient;

/** The HTTP client for one registry as its access options ask: its certificates, or unverified TLS. */
final class RegistryHttp {

    private RegistryHttp() {
    }

    /**
     * The base client, with the certificate directory's CAs and client certificates when one
     * applies, and accepting any certificate when TLS is not verified. It shares the base client's
     * connection pool; OkHttp keys pooled connections by their TLS setup, so a connection is never
     * reused with other certificates.
     */
    static OkHttpClient forRegistry(OkHttpClient base, Registry registry, RegistryAccess access) {
        Path dir = access.certificates().directoryFor(registry.name());
        if (dir == null) {
            return access.tlsVerify() ? base : HttpClients.insecure(base);
        }
        CertDirectory.Tls tls = CertDirectory.read(dir).tls(access.tlsVerify());
        OkHttpClient.Builder builder = base.newBuilder()
                .connectionSpecs(TlsOnDemand.TLS_AND_CLEARTEXT)
                .followSslRedirects(true)
                .sslSocketFactory(tls.socketFactory(), tls.trustManager());
        if (!access.tlsVerify()) {
            builder.hostnameVerifier((host, session) -> true);
        }
        return builder.build();
    }
}
