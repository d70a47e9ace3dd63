package dev.ferry.registry;

import dev.ferry.auth.Challenge;
import dev.ferry.http.Deadline;
import dev.ferry.http.PinnedDns;
import dev.ferry.http.Retrier;
import dev.ferry.http.TlsOnDemand;
import dev.ferry.http.TransferLimits;
import dev.ferry.reference.Registry;
import java.io.IOException;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Pings a registry's {@code /v2/} to learn which scheme it speaks and how it wants to be
 * authenticated. Loopback (by address, see {@link PinnedDns}) registries are tried over plain HTTP
 * first: the bytes never leave the machine, most local registries are plain, and a TLS handshake
 * costs a tenth of a second of start-up. Registries marked insecure are tried over HTTPS first
 * (their traffic does cross a network) and then over plain HTTP, as Docker and skopeo do.
 */
final class SchemeProbe {

    /** Where the registry answered, and the challenge of its 401 (null when it asks for nothing). */
    record Found(HttpUrl base, Challenge challenge) {
    }

    private final Registry registry;
    private final RegistryAccess access;
    private final OkHttpClient http;
    private final Retrier retrier;
    private final Retrier.Backoff backoff;
    private final TransferLimits limits;

    SchemeProbe(Registry registry, RegistryAccess access, OkHttpClient http, Retrier retrier, Retrier.Backoff backoff,
            TransferLimits limits) {
        this.registry = registry;
        this.access = access;
        this.http = http;
        this.retrier = retrier;
        this.backoff = backoff;
        this.limits = limits;
    }

    Found ping() throws IOException {
        List<String> schemes = isLoopback() ? List.of("http", "https")
                : !access.tlsVerify() ? List.of("https", "http") : List.of("https");
        IOException reported = null;
        for (String scheme : schemes) {
            try {
                return pingAt(baseUrl(scheme));
            } catch (RegistryException e) {
                // An HTTPS server answers a plain request with 400: try the next scheme.
                if (!(scheme.equals("http") && e.status() == 400) || schemes.getLast().equals(scheme)) {
                    throw e;
                }
            } catch (IOException e) {
                if (Deadline.isExceeded(e)) {
                    throw unreachable(e); // it answered in this scheme, too slowly: no other scheme helps
                }
                // When every scheme fails, the HTTPS failure is the one users can act on.
                if (reported == null || scheme.equals("https")) {
                    reported = e;
                }
            }
        }
        throw unreachable(reported);
    }

    /** Loopback by address, as the HTTP client resolves the name (which then keeps to those addresses). */
    private boolean isLoopback() {
        return PinnedDns.isLoopback(http.dns(), registry.apiHost());
    }

    private RegistryUnreachableException unreachable(IOException cause) {
        return new RegistryUnreachableException(registry.name(), "connecting to the registry",
                Exchanges.explain(cause, limits.small()));
    }

    private HttpUrl baseUrl(String scheme) {
        HttpUrl.Builder b = new HttpUrl.Builder().scheme(scheme).host(registry.apiHost());
        if (registry.apiPort() > 0) {
            b.port(registry.apiPort());
        }
        return b.build();
    }

    private Found pingAt(HttpUrl candidate) throws IOException {
        Request request = new Request.Builder().url(candidate.resolve("/v2/")).get().build();
        try (Response response = retrier.execute(() -> TlsOnDemand.forUrl(http, request.url()).newCall(request),
                backoff)) {
            if (response.code() == 401) {
                return new Found(candidate, preferred(Challenge.parse(response.headers("WWW-Authenticate"))));
            } else if (!response.isSuccessful()) {
                throw new RegistryException(RegistryException.kindOf(response.code(), List.of()), response.code(),
                        List.of(), "checking the registry API at " + candidate.resolve("/v2/"), registry.name());
            }
            return new Found(candidate, null);
        }
    }

    /** Bearer when offered (tokens scoped per repository), else Basic, else none ferry speaks. */
    static Challenge preferred(List<Challenge> challenges) {
        return challenges.stream().filter(Challenge::isBearer).findFirst()
                .or(() -> challenges.stream().filter(Challenge::isBasic).findFirst())
                .orElse(null);
    }
}
