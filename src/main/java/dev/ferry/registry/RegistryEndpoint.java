package dev.ferry.registry;

import dev.ferry.auth.AuthenticationException;
import dev.ferry.auth.TokenService;
import dev.ferry.http.Deadline;
import dev.ferry.http.HttpClients;
import dev.ferry.http.Retrier;
import dev.ferry.http.TransferLimits;
import dev.ferry.reference.Registry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One registry as reached with one set of access options: the scheme it speaks (a
 * {@link SchemeProbe} on first use), its authentication ({@link Authorizer}) and sending requests
 * to it ({@link Exchanges}): retried, once, or streamed.
 */
public final class RegistryEndpoint {

    private final Registry registry;
    private final OkHttpClient http;
    private final Retrier retrier;
    private final TransferLimits limits;
    private final SchemeProbe probe;
    private final Authorizer auth;
    private final Exchanges exchanges;
    private final ReentrantLock pingLock = new ReentrantLock();
    private volatile HttpUrl base;

    RegistryEndpoint(Registry registry, RegistryAccess access, OkHttpClient http, TokenService tokens, Retrier retrier,
            TransferLimits limits) {
        this.registry = registry;
        this.retrier = retrier;
        this.limits = limits;
        this.http = RegistryHttp.forRegistry(http, registry, access);
        Retrier.Backoff backoff = new Retrier.Backoff();
        this.probe = new SchemeProbe(registry, access, this.http, retrier, backoff, limits);
        this.auth = new Authorizer(registry, access, tokens, this.http, limits);
        this.exchanges = new Exchanges(registry.name(), this.http, retrier, backoff);
    }

    /** How long a read may wait for bytes before the transfer counts as stalled. */
    long readTimeoutMillis() {
        return http.readTimeoutMillis();
    }

    /** The deadlines of this registry's exchanges. */
    TransferLimits limits() {
        return limits;
    }

    /** Counts and logs an upload started again from its beginning. */
    void recordRetry(String what, int attempt, Throwable cause) {
        retrier.recordRetry(what, attempt, cause);
    }

    /** How many times a failed request is retried; a blob cut mid-way resumes as often. */
    int retryTimes() {
        return retrier.policy().times();
    }

    public Registry registry() {
        return registry;
    }

    /** The base URL ({@code scheme://authority/}), pinging the registry on first use. */
    public HttpUrl base() throws IOException {
        HttpUrl known = base;
        if (known != null) {
            return known;
        }
        pingLock.lock();
        try {
            if (base == null) {
                SchemeProbe.Found found = probe.ping();
                auth.challenged(found.challenge()); // before base: whoever sees base sees the challenge
                base = found.base();
            }
            return base;
        } finally {
            pingLock.unlock();
        }
    }

    /**
     * Checks the access's credentials as {@code docker login} does: {@code GET /v2/} authorized as
     * the registry asks. True when the registry accepted them, false when it asks for none.
     *
     * @throws AuthenticationException when the registry or its token service refuses them
     */
    boolean checkCredentials() throws IOException {
        HttpUrl ping = base().resolve("/v2/");
        if (!auth.asksForCredentials()) {
            return false;
        }
        try (Response response = send(new Request.Builder().url(ping), List.of())) {
            if (response.isSuccessful()) {
                return true;
            }
            boolean refused = response.code() == 401 || response.code() == 403;
            throw new AuthenticationException(registry.name() + (refused ? " refused the credentials" : " failed")
                    + " (HTTP " + response.code() + ")", response.code(), refused);
        }
    }

    /**
     * Pings the registry and fetches the token (or looks up the credentials) that requests for
     * these scopes need, sending nothing else: so that a client can do it while it waits on another
     * registry. Failures are left for the requests themselves to meet and report.
     */
    void prepare(List<String> scopes) {
        try {
            authorize(new Request.Builder().url(base()), scopes);
        } catch (IOException | RuntimeException e) {
            // the first real request meets the same failure, and says which one
        }
    }

    /**
     * Sends a request with the authorization the registry asked for, and when the registry answers
     * 401 (a token expired or a wider scope is needed) once more with a fresh token.
     *
     * @param scopes the token scopes the request needs, e.g. {@code repository:foo:pull}
     */
    public Response send(Request.Builder request, List<String> scopes) throws IOException {
        return send(request, scopes, call -> { });
    }

    /**
     * As {@link #send(Request.Builder, List)}, handing each call to {@code onCall} before it is
     * executed, so that another thread can cancel it (which aborts a read blocked on its socket).
     */
    public Response send(Request.Builder request, List<String> scopes, Consumer<Call> onCall) throws IOException {
        return sendWithAuth(request, scopes, limits.small(), onCall);
    }

    /**
     * For long bodies (blobs): as {@link #send(Request.Builder, List, Consumer)} but without a
     * per-read timeout (the caller watches for stalls), and with the deadline of the body's size.
     */
    Response sendStreaming(Request.Builder request, List<String> scopes, Deadline deadline, Consumer<Call> onCall)
            throws IOException {
        return sendWithAuth(request.tag(HttpClients.Streaming.class, HttpClients.Streaming.INSTANCE), scopes,
                deadline, onCall);
    }

    /**
     * For a request whose body can be sent only once (a streamed upload): no retry and no second
     * try after a 401, as either would need the body again; the caller restarts the whole upload.
     * Failures come as thrown by the call, so that a failure of the body's source stays visible.
     */
    Response sendOnce(Request.Builder request, List<String> scopes, Deadline deadline, Consumer<Call> onCall)
            throws IOException {
        base();
        authorize(request, scopes);
        return exchanges.once(request.build(), deadline, onCall);
    }

    private Response sendWithAuth(Request.Builder request, List<String> scopes, Deadline deadline,
            Consumer<Call> onCall) throws IOException {
        base();
        authorize(request, scopes);
        Response response = exchanges.retried(request.build(), deadline, onCall);
        if (response.code() != 401) {
            return response;
        }
        List<String> retryScopes = auth.renewAfter(response, scopes);
        if (retryScopes == null) {
            return response; // nothing to renew: the refusal is the answer
        }
        response.close();
        authorize(request, retryScopes);
        return exchanges.retried(request.build(), deadline, onCall);
    }

    /**
     * Forgets the token for these scopes, so the next request fetches a fresh one: for a refused
     * request that could not be retried on the spot (a streamed upload).
     */
    void invalidateToken(List<String> scopes) {
        auth.invalidate(scopes);
    }

    /**
     * Credentials and tokens go only to the registry itself: an upload location may name another
     * host (a storage backend), which gets the request without them.
     */
    private void authorize(Request.Builder request, List<String> scopes) throws IOException {
        HttpUrl known = base;
        HttpUrl url = request.build().url();
        if (known != null && known.scheme().equals(url.scheme()) && known.host().equals(url.host())
                && known.port() == url.port()) {
            auth.authorize(request, scopes);
        }
    }
}
