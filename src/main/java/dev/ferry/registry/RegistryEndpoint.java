package dev.ferry.registry;

import dev.ferry.auth.AuthenticationException;
import dev.ferry.auth.Challenge;
import dev.ferry.auth.Credentials;
import dev.ferry.auth.TokenService;
import dev.ferry.credentials.CredentialLookup;
import dev.ferry.reference.Registry;
import dev.ferry.reference.Repository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import dev.ferry.http.Deadline;
import dev.ferry.http.PinnedDns;
import dev.ferry.http.Retrier;
import dev.ferry.http.TransferLimits;
import dev.ferry.http.TlsOnDemand;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One registry as reached with one set of access options: which scheme it speaks, how it wants to
 * be authenticated (learnt from pinging {@code /v2/}), and sending authorized requests to it.
 */
public final class RegistryEndpoint {

    private final Registry registry;
    private final RegistryAccess access;
    private final OkHttpClient http;
    private final Retrier retrier;
    // Shared by every request to this registry: after a 429, nobody sends until the wait is over.
    private final Retrier.Backoff backoff = new Retrier.Backoff();
    private final TokenService tokens;
    private final TransferLimits limits;
    private final ReentrantLock pingLock = new ReentrantLock();
    private volatile HttpUrl base;
    private volatile Challenge challenge;
    // Looked up once per repository, and only once the registry has asked for credentials.
    private final Map<String, Optional<Credentials>> credentials = new ConcurrentHashMap<>();

    RegistryEndpoint(Registry registry, RegistryAccess access, OkHttpClient http, TokenService tokens, Retrier retrier,
            TransferLimits limits) {
        this.registry = registry;
        this.limits = limits;
        this.retrier = retrier;
        this.access = access;
        this.http = HttpClients.forRegistry(http, registry, access);
        this.tokens = tokens;
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

    int retryTimes() {
        return retrier.policy().times();
    }

    public Registry registry() {
        return registry;
    }

    /**
     * Checks the access's credentials as {@code docker login} does: {@code GET /v2/} authorized as
     * the registry asks. True when the registry accepted them, false when it asks for none.
     *
     * @throws AuthenticationException when the registry or its token service refuses them
     */
    boolean checkCredentials() throws IOException {
        HttpUrl ping = base().resolve("/v2/");
        if (challenge == null) {
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
     * The credentials for the repository of the first scope (the one a request is about; a token
     * carries one set of credentials however many scopes it covers), or for the registry when no
     * scope names a repository.
     */
    private Credentials credentials(List<String> scopes) throws IOException {
        String path = repositoryPath(scopes);
        Optional<Credentials> known = credentials.get(path);
        if (known == null) {
            CredentialLookup lookup = access.credentials();
            known = Optional.ofNullable(path.isEmpty() ? lookup.find(registry) : lookup.find(new Repository(registry, path)));
            credentials.put(path, known);
        }
        return known.orElse(null);
    }

    /** The repository the first {@code repository:NAME:ACTIONS} scope names, or "" for none. */
    private static String repositoryPath(List<String> scopes) {
        return scopes.stream().filter(s -> s.startsWith("repository:") && s.lastIndexOf(':') > "repository:".length())
                .map(s -> s.substring("repository:".length(), s.lastIndexOf(':'))).findFirst().orElse("");
    }

    /** Plain HTTP is allowed for loopback registries and for those marked insecure. */
    private boolean plainHttpAllowed() {
        return !access.tlsVerify() || isLoopback();
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
                ping();
            }
            return base;
        } finally {
            pingLock.unlock();
        }
    }

    /**
     * Finds the scheme the registry speaks. Loopback registries are tried over plain HTTP first: the
     * bytes never leave the machine, most local registries are plain, and a TLS handshake costs a
     * tenth of a second of start-up. Registries marked insecure are tried over HTTPS first (their
     * traffic does cross a network) and then over plain HTTP, as Docker and skopeo do.
     */
    private void ping() throws IOException {
        List<String> schemes = isLoopback() ? List.of("http", "https")
                : !access.tlsVerify() ? List.of("https", "http") : List.of("https");
        IOException reported = null;
        for (String scheme : schemes) {
            try {
                pingAt(baseUrl(scheme));
                return;
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

    /** A plain-HTTP token realm may get credentials when it is on this machine (else only if marked insecure). */
    private boolean loopbackRealm(Challenge challenge) {
        HttpUrl realm = challenge.param("realm") == null ? null : HttpUrl.parse(challenge.param("realm"));
        return realm != null && PinnedDns.isLoopback(http.dns(), realm.host());
    }

    private RegistryUnreachableException unreachable(IOException cause) {
        return new RegistryUnreachableException(registry.name(), "connecting to the registry",
                explain(cause, limits.small()));
    }

    /** OkHttp reports a call that ran out of its deadline as a bare "timeout": say which deadline. */
    static IOException explain(IOException failure, Deadline deadline) {
        return Deadline.isExceeded(failure) ? deadline.exceeded() : failure;
    }

    private HttpUrl baseUrl(String scheme) {
        HttpUrl.Builder b = new HttpUrl.Builder().scheme(scheme).host(registry.apiHost());
        if (registry.apiPort() > 0) {
            b.port(registry.apiPort());
        }
        return b.build();
    }

    private void pingAt(HttpUrl candidate) throws IOException {
        Request request = new Request.Builder().url(candidate.resolve("/v2/")).get().build();
        try (Response response = retrier.execute(() -> TlsOnDemand.forUrl(http, request.url()).newCall(request),
                backoff)) {
            if (response.code() == 401) {
                challenge = preferred(Challenge.parse(response.headers("WWW-Authenticate")));
            } else if (!response.isSuccessful()) {
                throw new RegistryException(RegistryException.kindOf(response.code(), List.of()), response.code(),
                        List.of(), "checking the registry API at " + candidate.resolve("/v2/"), registry.name());
            }
        }
        base = candidate;
    }

    /**
     * Credentials and tokens go only to the registry itself: an upload location may name another
     * host (a storage backend), which gets the request without them.
     */
    private boolean sameOrigin(HttpUrl url) {
        HttpUrl known = base;
        return known != null && known.scheme().equals(url.scheme()) && known.host().equals(url.host())
                && known.port() == url.port();
    }

    private static Challenge preferred(List<Challenge> challenges) {
        return challenges.stream().filter(Challenge::isBearer).findFirst()
                .or(() -> challenges.stream().filter(Challenge::isBasic).findFirst())
                .orElse(null);
    }

    /**
     * Pings the registry and fetches the token (or looks up the credentials) that requests for
     * these scopes need, sending nothing else: so that a client can do it while it waits on another
     * registry. Failures are left for the requests themselves to meet and report.
     */
    void prepare(List<String> scopes) {
        try {
            HttpUrl url = base();
            authorize(new Request.Builder().url(url), scopes);
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
        Request built = request.build();
        Call call = deadline.arm(TlsOnDemand.forUrl(http, built.url()).newCall(built));
        onCall.accept(call);
        return call.execute();
    }

    private Response sendWithAuth(Request.Builder request, List<String> scopes, Deadline deadline,
            Consumer<Call> onCall) throws IOException {
        base();
        authorize(request, scopes);
        Response response = execute(request, deadline, onCall);
        if (response.code() != 401) {
            return response;
        }
        Challenge fresh = preferred(Challenge.parse(response.headers("WWW-Authenticate")));
        if (fresh == null && challenge == null || access.registryToken() != null && challenge != null
                && challenge.isBearer()) {
            return response; // a given token cannot be renewed: the refusal is the answer
        }
        response.close();
        List<String> retryScopes = new ArrayList<>(scopes);
        if (challenge != null && challenge.isBearer()) {
            tokens.invalidate(challenge, scopes, credentials(scopes));
        }
        if (fresh != null) {
            challenge = fresh;
            // The registry names the scope it wants; ask for it as well as ours.
            String wanted = fresh.param("scope");
            if (wanted != null && !retryScopes.contains(wanted)) {
                retryScopes.add(wanted);
            }
        }
        authorize(request, retryScopes);
        return execute(request, deadline, onCall);
    }

    /**
     * Forgets the token for these scopes, so the next request fetches a fresh one: for a refused
     * request that could not be retried on the spot (a streamed upload).
     */
    void invalidateToken(List<String> scopes) {
        Challenge current = challenge;
        if (current != null && current.isBearer()) {
            // The token was fetched with these credentials, so they are known by now.
            Optional<Credentials> known = credentials.get(repositoryPath(scopes));
            tokens.invalidate(current, scopes, known == null ? null : known.orElse(null));
        }
    }

    private Response execute(Request.Builder request, Deadline deadline, Consumer<Call> onCall) throws IOException {
        Request built = request.build();
        try {
            return retrier.execute(() -> {
                Call call = deadline.arm(TlsOnDemand.forUrl(http, built.url()).newCall(built));
                onCall.accept(call);
                return call;
            }, backoff);
        } catch (IOException e) {
            throw new RegistryUnreachableException(registry.name(), built.method() + " " + built.url().encodedPath(),
                    explain(e, deadline));
        }
    }

    private void authorize(Request.Builder request, List<String> scopes) throws IOException {
        Challenge current = challenge;
        if (current == null || !sameOrigin(request.build().url())) {
            return;
        }
        if (current.isBearer() && access.registryToken() != null) {
            request.header("Authorization", "Bearer " + access.registryToken());
            return;
        }
        Credentials credentials = credentials(scopes);
        if (current.isBearer()) {
            String token;
            try {
                token = tokens.token(current, scopes, credentials, !access.tlsVerify() || loopbackRealm(current));
            } catch (AuthenticationException e) {
                throw e;
            } catch (IOException e) {
                throw tokenServiceUnreachable(current, scopes, e);
            }
            request.header("Authorization", "Bearer " + token);
        } else if (current.isBasic()) {
            if (credentials == null) {
                throw new AuthenticationException(registry.name() + " requires a user name and password", 401, true);
            }
            if (credentials.password() == null) {
                throw new AuthenticationException(registry.name() + " asks for a password, and the stored "
                        + "credentials are an identity token", 401, true);
            }
            request.header("Authorization", credentials.basicHeader());
        }
    }

    /** Names the token service, the registry and the repository the token was for, and the limit. */
    private RegistryUnreachableException tokenServiceUnreachable(Challenge challenge, List<String> scopes,
            IOException e) {
        HttpUrl realm = HttpUrl.parse(challenge.param("realm"));
        String service = realm == null ? "the token service"
                : "token service " + realm.newBuilder().query(null).username("").password("").build();
        String path = repositoryPath(scopes);
        String about = "for registry " + registry.name() + (path.isEmpty() ? "" : " (image " + registry.name() + "/" + path + ")");
        String what = Deadline.isExceeded(e) ? " did not answer " + about + " within " + limits.small().describe()
                : e instanceof java.net.SocketTimeoutException ? " did not answer " + about + " within the read timeout of "
                        + java.util.concurrent.TimeUnit.MILLISECONDS.toSeconds(http.readTimeoutMillis()) + " s"
                : " could not be reached " + about + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new RegistryUnreachableException(registry.name(), e, service + what);
    }
}
