package dev.ferry.registry;

import dev.ferry.reference.Registry;
import dev.ferry.tls.CertDirectory;
import dev.ferry.tls.TrustAll;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import dev.ferry.http.TlsOnDemand;
import dev.ferry.http.TransferLimits;
import dev.ferry.http.PinnedDns;
import okhttp3.Dns;
import okhttp3.OkHttpClient;

/** The one OkHttp client ferry uses, and its per-registry variants (certificates, unverified TLS) sharing its pool. */
public final class HttpClients {

    private HttpClients() {
    }

    /** Marks a request whose body is long and watched for stalls instead of timed per read. */
    enum Streaming { INSTANCE }

    /** Marks an upload: its request body is watched for stalls instead of timed per write. */
    enum Uploading { INSTANCE }

    /**
     * @param debugLog where to log each request, or null
     */
    public static OkHttpClient create(PrintStream debugLog, Duration connectTimeout, Duration readTimeout) {
        return create(debugLog, connectTimeout, readTimeout, TransferLimits.defaults(connectTimeout, readTimeout));
    }

    /**
     * @param limits the grace period is every call's deadline (OkHttp's call timeout: it spans
     *     informational responses and the body too); blob transfers set their own from their size
     */
    public static OkHttpClient create(PrintStream debugLog, Duration connectTimeout, Duration readTimeout,
            TransferLimits limits) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .socketFactory(new BufferedSocketFactory())
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .callTimeout(limits.grace())
                .dns(new PinnedDns(Dns.SYSTEM))
                .followRedirects(true)
                .addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
                        .header("User-Agent", UserAgent.VALUE).build()))
                // Blob bodies are read without a per-read timeout: the StallWatchdog watches them.
                .addInterceptor(chain -> chain.request().tag(Streaming.class) == null ? chain.proceed(chain.request())
                        : chain.withReadTimeout(0, TimeUnit.MILLISECONDS).proceed(chain.request()))
                // Upload bodies likewise: okio would arm its watchdog on every 8 KiB written.
                .addInterceptor(chain -> chain.request().tag(Uploading.class) == null ? chain.proceed(chain.request())
                        : chain.withWriteTimeout(0, TimeUnit.MILLISECONDS).proceed(chain.request()));
        if (debugLog != null) {
            // A network interceptor sees every hop, redirects and auth retries included.
            builder.addNetworkInterceptor(new RequestLogger(debugLog));
        }
        return TlsOnDemand.buildCleartext(builder);
    }

    /** A client that accepts any certificate, for registries the user marked insecure. */
    public static OkHttpClient insecure(OkHttpClient base) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {TrustAll.INSTANCE}, new SecureRandom());
            return base.newBuilder()
                    .connectionSpecs(TlsOnDemand.TLS_AND_CLEARTEXT)
                    .followSslRedirects(true)
                    .sslSocketFactory(context.getSocketFactory(), TrustAll.INSTANCE)
                    .hostnameVerifier((host, session) -> true)
                    .build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS", e);
        }
    }

    /**
     * The client for one registry: the base client, with the certificate directory's CAs and client
     * certificates when one applies, and accepting any certificate when TLS is not verified. It
     * shares the base client's connection pool; OkHttp keys pooled connections by their TLS setup,
     * so a connection is never reused with other certificates.
     */
    static OkHttpClient forRegistry(OkHttpClient base, Registry registry, RegistryAccess access) {
        Path dir = access.certificates().directoryFor(registry.name());
        if (dir == null) {
            return access.tlsVerify() ? base : insecure(base);
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
