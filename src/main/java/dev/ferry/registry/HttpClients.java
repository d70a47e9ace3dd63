package dev.ferry.registry;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/** The one OkHttp client ferry uses, and its unverified-TLS sibling that shares its pool. */
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
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .socketFactory(new BufferedSocketFactory())
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .followRedirects(true)
                .followSslRedirects(true)
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
        return builder.build();
    }

    /** A client that accepts any certificate, for registries the user marked insecure. */
    public static OkHttpClient insecure(OkHttpClient base) {
        try {
            X509TrustManager trustAll = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            };
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
            return base.newBuilder()
                    .sslSocketFactory(context.getSocketFactory(), trustAll)
                    .hostnameVerifier((host, session) -> true)
                    .build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS", e);
        }
    }
}
