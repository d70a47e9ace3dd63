package dev.ferry.registry;

import dev.ferry.auth.AuthenticationException;
import dev.ferry.auth.Challenge;
import dev.ferry.auth.Credentials;
import dev.ferry.auth.TokenService;
import dev.ferry.credentials.CredentialLookup;
import dev.ferry.http.Deadline;
import dev.ferry.http.PinnedDns;
import dev.ferry.http.TransferLimits;
import dev.ferry.reference.Registry;
import dev.ferry.reference.Repository;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Authenticates requests to one registry as its challenge asks: a bearer token from its token
 * service (or the one given), or Basic credentials. Credentials are looked up once per repository,
 * and only once the registry has asked for them.
 */
final class Authorizer {

    private final Registry registry;
    private final RegistryAccess access;
    private final TokenService tokens;
    private final OkHttpClient http;
    private final TransferLimits limits;
    private volatile Challenge challenge;
    private final Map<String, Optional<Credentials>> credentials = new ConcurrentHashMap<>();

    Authorizer(Registry registry, RegistryAccess access, TokenService tokens, OkHttpClient http, TransferLimits limits) {
        this.registry = registry;
        this.access = access;
        this.tokens = tokens;
        this.http = http;
        this.limits = limits;
    }

    /** The challenge of the registry's first 401 (its ping's), or null when it asked for nothing. */
    void challenged(Challenge first) {
        challenge = first;
    }

    boolean asksForCredentials() {
        return challenge != null;
    }

    /** Adds the {@code Authorization} the registry asks for. */
    void authorize(Request.Builder request, List<String> scopes) throws IOException {
        Challenge current = challenge;
        if (current == null) {
            return;
        }
        if (current.isBearer() && access.registryToken() != null) {
            request.header("Authorization", "Bearer " + access.registryToken());
            return;
        }
        Credentials known = credentials(scopes);
        if (current.isBearer()) {
            request.header("Authorization", "Bearer " + token(current, scopes, known));
        } else if (current.isBasic()) {
            if (known == null) {
                throw new AuthenticationException(registry.name() + " requires a user name and password", 401, true);
            }
            if (known.password() == null) {
                throw new AuthenticationException(registry.name() + " asks for a password, and the stored "
                        + "credentials are an identity token", 401, true);
            }
            request.header("Authorization", known.basicHeader());
        }
    }

    /**
     * After a 401 (a token expired, or a wider scope is needed): forgets the token and returns the
     * scopes to ask once more with, the registry's wanted one added; null when the refusal is the
     * answer (nothing was asked, or a given token that cannot be renewed was refused).
     */
    List<String> renewAfter(Response unauthorized, List<String> scopes) throws IOException {
        Challenge fresh = SchemeProbe.preferred(Challenge.parse(unauthorized.headers("WWW-Authenticate")));
        Challenge current = challenge;
        if (fresh == null && current == null || access.registryToken() != null && current != null
                && current.isBearer()) {
            return null;
        }
        List<String> retryScopes = new ArrayList<>(scopes);
        if (current != null && current.isBearer()) {
            tokens.invalidate(current, scopes, credentials(scopes));
        }
        if (fresh != null) {
            challenge = fresh;
            String wanted = fresh.param("scope");
            if (wanted != null && !retryScopes.contains(wanted)) {
                retryScopes.add(wanted);
            }
        }
        return retryScopes;
    }

    /** Forgets the token for these scopes: for a refused request that could not be retried on the spot. */
    void invalidate(List<String> scopes) {
        Challenge current = challenge;
        if (current != null && current.isBearer()) {
            // The token was fetched with these credentials, so they are known by now.
            Optional<Credentials> known = credentials.get(repositoryPath(scopes));
            tokens.invalidate(current, scopes, known == null ? null : known.orElse(null));
        }
    }

    private String token(Challenge current, List<String> scopes, Credentials known) throws IOException {
        try {
            // Only credentials bound for a plain-HTTP realm need it to be loopback (a lookup, once).
            return tokens.token(current, scopes, known, known == null || !access.tlsVerify() || realmMayGetCredentials(current));
        } catch (AuthenticationException e) {
            throw e;
        } catch (IOException e) {
            throw tokenServiceUnreachable(current, scopes, e);
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

    /** A token realm may get credentials over HTTPS, or over plain HTTP on this machine (else only if marked insecure). */
    private boolean realmMayGetCredentials(Challenge current) {
        HttpUrl realm = current.param("realm") == null ? null : HttpUrl.parse(current.param("realm"));
        return realm != null && (realm.isHttps() || PinnedDns.isLoopback(http.dns(), realm.host()));
    }

    /** Names the token service, the registry and the repository the token was for, and the limit. */
    private RegistryUnreachableException tokenServiceUnreachable(Challenge current, List<String> scopes,
            IOException e) {
        HttpUrl realm = HttpUrl.parse(current.param("realm"));
        String service = realm == null ? "the token service"
                : "token service " + realm.newBuilder().query(null).username("").password("").build();
        String path = repositoryPath(scopes);
        String about = "for registry " + registry.name() + (path.isEmpty() ? "" : " (image " + registry.name() + "/" + path + ")");
        String what = Deadline.isExceeded(e) ? " did not answer " + about + " within " + limits.small().describe()
                : e instanceof SocketTimeoutException ? " did not answer " + about + " within the read timeout of "
                        + TimeUnit.MILLISECONDS.toSeconds(http.readTimeoutMillis()) + " s"
                : " could not be reached " + about + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new RegistryUnreachableException(registry.name(), e, service + what);
    }
}
