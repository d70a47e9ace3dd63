package dev.ferry.http;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * TLS set up only when a request needs it. Building an OkHttp client that can speak TLS loads and
 * parses the system's trusted certificates, a tenth of a second that a command talking to a
 * plain-HTTP loopback registry never needs. So the base client speaks plain HTTP only, and a TLS
 * sibling (sharing its pool and dispatcher) is built the first time an HTTPS URL comes up: a
 * registry or token service on HTTPS, or a plain registry redirecting to HTTPS storage.
 */
public final class TlsOnDemand {

    /** What a client that does TLS allows: TLS, and plain HTTP for loopback and insecure registries. */
    public static final List<ConnectionSpec> TLS_AND_CLEARTEXT = List.of(ConnectionSpec.MODERN_TLS,
            ConnectionSpec.CLEARTEXT);

    private static final Map<OkHttpClient, OkHttpClient> TLS_SIBLINGS = new WeakHashMap<>();

    private TlsOnDemand() {
    }

    /**
     * Builds a plain-HTTP-only client that follows redirects to HTTPS through its TLS sibling.
     */
    public static OkHttpClient buildCleartext(OkHttpClient.Builder builder) {
        FollowToHttps follow = new FollowToHttps();
        OkHttpClient client = builder.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
                .followSslRedirects(false)
                .addInterceptor(follow)
                .build();
        follow.client = client;
        return client;
    }

    /** The client to send a request for {@code url} with: {@code client}, or its TLS sibling. */
    public static OkHttpClient forUrl(OkHttpClient client, HttpUrl url) {
        return url.isHttps() ? withTls(client) : client;
    }

    /** {@code client} when it does TLS already, else its TLS sibling, built once. */
    public static OkHttpClient withTls(OkHttpClient client) {
        if (client.connectionSpecs().stream().anyMatch(ConnectionSpec::isTls)) {
            return client;
        }
        synchronized (TLS_SIBLINGS) {
            return TLS_SIBLINGS.computeIfAbsent(client, plain -> plain.newBuilder()
                    .connectionSpecs(TLS_AND_CLEARTEXT)
                    .followSslRedirects(true)
                    .build());
        }
    }

    /**
     * A plain-HTTP client does not follow a redirect to HTTPS itself (it could not connect); this
     * follows it with the TLS sibling, keeping {@code Authorization} only for the same host, as
     * OkHttp does for the redirects it follows. Only GET and HEAD are redirected so: no request ferry
     * sends with a body is answered with a redirect to storage.
     */
    private static final class FollowToHttps implements Interceptor {

        private volatile OkHttpClient client;

        @Override
        public Response intercept(Chain chain) throws IOException {
            Response response = chain.proceed(chain.request());
            String location = response.isRedirect() ? response.header("Location") : null;
            HttpUrl from = response.request().url();
            HttpUrl target = location == null ? null : from.resolve(location);
            String method = chain.request().method();
            if (target == null || !target.isHttps() || !(method.equals("GET") || method.equals("HEAD"))) {
                return response;
            }
            response.close();
            // A new request without the original's tags: the call that made this one cannot cancel
            // the next, so it keeps the client's per-read timeout rather than a stall watch's.
            Request.Builder next = new Request.Builder().url(target).headers(chain.request().headers())
                    .method(method, null);
            if (!target.host().equals(from.host())) {
                next.removeHeader("Authorization");
            }
            // The redirected call keeps the deadline of the one it continues (a blob's is its size's).
            // A blob body stays on HTTP/1.1 there too (see HttpClients#forBlobs).
            OkHttpClient via = chain.request().tag(HttpClients.Streaming.class) != null ? HttpClients.forBlobs(client) : client;
            okhttp3.Call call = withTls(via).newCall(next.build());
            call.timeout().timeout(chain.call().timeout().timeoutNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            return call.execute();
        }
    }
}
