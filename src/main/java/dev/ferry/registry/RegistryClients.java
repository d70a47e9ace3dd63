package dev.ferry.registry;

import dev.ferry.auth.TokenService;
import dev.ferry.http.Retrier;
import dev.ferry.http.TransferLimits;
import dev.ferry.reference.Registry;
import dev.ferry.reference.Repository;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;

/**
 * Hands out one {@link RegistryClient} per repository, sharing one endpoint (ping, scheme, tokens)
 * per registry and access options, and one HTTP client for all.
 */
public final class RegistryClients implements AutoCloseable {

    private final OkHttpClient http;
    private final TokenService tokens;
    private final Retrier retrier;
    private final TransferLimits limits;
    private final Map<EndpointKey, RegistryEndpoint> endpoints = new ConcurrentHashMap<>();

    /** equals and hashCode written out, as in {@link RegistryAccess}: this key is on every command's start-up path. */
    private record EndpointKey(Registry registry, RegistryAccess access) {
        @Override
        public boolean equals(Object o) {
            return o instanceof EndpointKey k && registry.equals(k.registry) && access.equals(k.access);
        }

        @Override
        public int hashCode() {
            return 31 * registry.hashCode() + access.hashCode();
        }
    }

    public RegistryClients(OkHttpClient http, Retrier retrier) {
        this(http, retrier, new TransferLimits(http.callTimeoutMillis() > 0
                ? Duration.ofMillis(http.callTimeoutMillis())
                : TransferLimits.defaultGrace(Duration.ofMillis(http.connectTimeoutMillis()),
                        Duration.ofMillis(http.readTimeoutMillis())), TransferLimits.DEFAULT_MIN_RATE));
    }

    /** @param limits the deadlines of exchanges: the grace period should be {@code http}'s call timeout */
    public RegistryClients(OkHttpClient http, Retrier retrier, TransferLimits limits) {
        this.http = http;
        this.retrier = retrier;
        this.limits = limits;
        this.tokens = new TokenService(http, Clock.systemUTC(), retrier);
    }

    /** Without retries: for tests of single exchanges. */
    public RegistryClients(OkHttpClient http) {
        this(http, new Retrier(dev.ferry.http.RetryPolicy.none(), null));
    }

    /** How many requests were retried so far. */
    public long retries() {
        return retrier.retries();
    }

    public RegistryClient client(Repository repository, RegistryAccess access) {
        return new RegistryClient(endpoint(repository.registry(), access), repository);
    }

    /**
     * A client for pushing into {@code repository}.
     *
     * @param mountSource the repository blobs may be mounted from (its pull scope joins the token
     *     request), or null
     */
    public PushClient pushClient(Repository repository, RegistryAccess access, Repository mountSource, long chunkSize) {
        return new PushClient(endpoint(repository.registry(), access), repository, mountSource, chunkSize);
    }

    /**
     * Checks credentials against a registry, as {@code docker login} does: true when the registry
     * accepted them, false when it asks for none.
     */
    public boolean checkCredentials(Registry registry, RegistryAccess access) throws java.io.IOException {
        return endpoint(registry, access).checkCredentials();
    }

    private RegistryEndpoint endpoint(Registry registry, RegistryAccess access) {
        return endpoints.computeIfAbsent(new EndpointKey(registry, access),
                key -> new RegistryEndpoint(key.registry(), key.access(), http, tokens, retrier, limits));
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
