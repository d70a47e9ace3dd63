package dev.ferry.http;

import dev.ferry.tls.TrustAll;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/** The one OkHttp client ferry uses, and its variants (any certificate, HTTP/1.1 for blobs), sharing its pool. */
public final class HttpClients {

    private HttpClients() {
    }

    /** Marks a request whose body is long and watched for stalls instead of timed per read. */
    public enum Streaming { INSTANCE }

    /** Marks an upload: its request body is watched for stalls instead of timed per write. */
    public enum Uploading { INSTANCE }

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

    private static final Map<OkHttpClient, OkHttpClient> BLOB_CLIENTS = new WeakHashMap<>();

    /**
     * {@code client} limited to HTTP/1.1, built once per client, for blob bodies (downloads and
     * uploads): each gets a TCP connection of its own. Over HTTP/2 a transfer's parallel blobs and a blob's ranges would be
     * streams of one connection, and what caps a connection (a CDN edge, a long round trip's
     * window) would cap them all together; small requests keep HTTP/2 where the registry offers it.
     */
    public static OkHttpClient forBlobs(OkHttpClient client) {
        synchronized (BLOB_CLIENTS) {
            return BLOB_CLIENTS.computeIfAbsent(client,
                    any -> any.newBuilder().protocols(List.of(Protocol.HTTP_1_1)).build());
        }
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
}
