package dev.ferry.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.json.Json;
import dev.ferry.http.Retrier;
import dev.ferry.http.TlsOnDemand;
import dev.ferry.http.RetryPolicy;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import tools.jackson.core.JacksonException;

/**
 * Fetches bearer tokens from a registry's token service (Docker token auth spec) and caches them
 * per realm, service, scope set and user until shortly before they expire. A user name and password
 * go as Basic auth on a GET; an identity token as an OAuth2 refresh-token grant on a POST.
 */
public final class TokenService {

    /** The spec's default lifetime when the service gives none. */
    static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
    /** The longest a token is kept, whatever {@code expires_in} says (it may say 2^63 seconds). */
    static final Duration MAX_LIFETIME = Duration.ofHours(12);
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    private static final int MAX_TOKEN_RESPONSE = 1024 * 1024;
    /** The OAuth2 client_id the spec asks clients to name themselves by. */
    static final String CLIENT_ID = "ferry";

    private final OkHttpClient http;
    private final Clock clock;
    private final Retrier retrier;
    private final Retrier.Backoff backoff = new Retrier.Backoff();
    private final Map<Key, Token> cache = new ConcurrentHashMap<>();

    public TokenService(OkHttpClient http, Clock clock, Retrier retrier) {
        this.http = http;
        this.clock = clock;
        this.retrier = retrier;
    }

    public TokenService(OkHttpClient http, Clock clock) {
        this(http, clock, new Retrier(RetryPolicy.none(), null));
    }

    record Key(String realm, String service, String scopes, String user) {
    }

    record Token(String value, Instant refreshAt) {
    }

    record TokenResponse(
            String token,
            @JsonProperty("access_token") String accessToken,
            // Any JSON number: 2^63, 1e30 or 300.5 are read, then capped, not refused.
            @JsonProperty("expires_in") java.math.BigDecimal expiresIn,
            @JsonProperty("issued_at") String issuedAt) {
    }

    /**
     * A token for the given scopes, from the cache or the service.
     *
     * @param credentials null for anonymous access
     * @param credentialsAllowed whether the realm may receive the credentials (HTTPS, loopback or a
     *     registry marked insecure)
     */
    public String token(Challenge challenge, List<String> scopes, Credentials credentials, boolean credentialsAllowed)
            throws IOException {
        Key key = key(challenge, scopes, credentials);
        Token cached = cache.get(key);
        if (cached != null && clock.instant().isBefore(cached.refreshAt())) {
            return cached.value();
        }
        Token fresh = fetch(challenge, new TreeSet<>(scopes), credentials, credentialsAllowed);
        cache.put(key, fresh);
        return fresh.value();
    }

    /** Forgets the cached token, after the registry refused it. */
    public void invalidate(Challenge challenge, List<String> scopes, Credentials credentials) {
        cache.remove(key(challenge, scopes, credentials));
    }

    private static Key key(Challenge challenge, List<String> scopes, Credentials credentials) {
        return new Key(challenge.param("realm"), Objects.toString(challenge.param("service"), ""),
                String.join(" ", new TreeSet<>(scopes)), credentials == null ? "" : credentials.who());
    }

    private Token fetch(Challenge challenge, TreeSet<String> scopes, Credentials credentials, boolean credentialsAllowed)
            throws IOException {
        String realm = challenge.param("realm");
        HttpUrl realmUrl = realm == null ? null : HttpUrl.parse(realm);
        if (realmUrl == null) {
            throw new AuthenticationException("the registry's bearer challenge has no usable realm: " + realm, 0, false);
        }
        if (credentials != null && !credentialsAllowed && !realmUrl.isHttps()) {
            throw new AuthenticationException("refusing to send credentials over plain HTTP to " + realmUrl.host()
                    + " (use HTTPS, or --tls-verify=false if this registry is trusted)", 0, false);
        }
        Request built = credentials != null && credentials.hasIdentityToken()
                ? refreshTokenGrant(realmUrl, challenge, scopes, credentials) : tokenGet(realmUrl, challenge, scopes, credentials);
        Instant sent = clock.instant();
        try (Response response = retrier.execute(() -> TlsOnDemand.forUrl(http, built.url()).newCall(built), backoff)) {
            ResponseBody body = response.body();
            boolean grant = credentials != null && credentials.hasIdentityToken();
            // OAuth2 answers a refresh token it no longer accepts with 400 invalid_grant (RFC 6749 5.2).
            if (response.code() == 401 || response.code() == 403 || (grant && response.code() == 400)) {
                throw new AuthenticationException("the token service at " + realmUrl.host() + " refused "
                        + (credentials == null ? "anonymous access" : grant
                                ? "the identity token for " + credentials.who() + " (log in again)"
                                : "the credentials for " + credentials.who())
                        + " (HTTP " + response.code() + ")", response.code(), true);
            }
            if (!response.isSuccessful()) {
                throw new AuthenticationException("the token service at " + realmUrl.host() + " failed (HTTP "
                        + response.code() + ")", response.code(), false);
            }
            byte[] bytes = body.byteStream().readNBytes(MAX_TOKEN_RESPONSE);
            TokenResponse parsed;
            try {
                parsed = Json.MAPPER.readValue(bytes, TokenResponse.class);
            } catch (JacksonException e) {
                throw new AuthenticationException("the token service at " + realmUrl.host()
                        + " answered something that is not a JSON token", response.code(), false);
            }
            String value = parsed == null ? null : parsed.token() != null && !parsed.token().isEmpty()
                    ? parsed.token() : parsed.accessToken();
            if (value == null || value.isEmpty()) {
                throw new AuthenticationException("the token service at " + realmUrl.host() + " answered no token",
                        response.code(), false);
            }
            return new Token(value, refreshAt(parsed, sent));
        }
    }

    /** The spec's GET: scopes as query parameters, a user name and password as Basic auth. */
    private static Request tokenGet(HttpUrl realm, Challenge challenge, TreeSet<String> scopes, Credentials credentials) {
        HttpUrl.Builder url = realm.newBuilder();
        if (challenge.param("service") != null) {
            url.addQueryParameter("service", challenge.param("service"));
        }
        for (String scope : scopes) {
            url.addQueryParameter("scope", scope);
        }
        Request.Builder request = new Request.Builder().url(url.build()).header("Accept", "application/json");
        if (credentials != null) {
            request.header("Authorization", credentials.basicHeader());
        }
        return request.build();
    }

    /**
     * The spec's OAuth2 POST for an identity token: the token is a refresh token, sent in the form
     * body (never in the URL, which logs and proxies keep), and the answer's access_token is used.
     */
    private static Request refreshTokenGrant(HttpUrl realm, Challenge challenge, TreeSet<String> scopes,
            Credentials credentials) {
        FormBody.Builder form = new FormBody.Builder()
                .add("grant_type", "refresh_token")
                .add("refresh_token", credentials.identityToken())
                .add("client_id", CLIENT_ID);
        if (challenge.param("service") != null) {
            form.add("service", challenge.param("service"));
        }
        if (!scopes.isEmpty()) {
            form.add("scope", String.join(" ", scopes));
        }
        return new Request.Builder().url(realm).header("Accept", "application/json").post(form.build()).build();
    }

    /** When to stop using a token: its expiry less a margin, from issued_at when the clocks agree. */
    private Instant refreshAt(TokenResponse response, Instant sent) {
        java.math.BigDecimal expiresIn = response.expiresIn();
        Duration lifetime = expiresIn == null || expiresIn.signum() <= 0 ? DEFAULT_LIFETIME
                : Duration.ofSeconds(expiresIn.min(java.math.BigDecimal.valueOf(MAX_LIFETIME.toSeconds())).longValue());
        Instant issued = sent;
        if (response.issuedAt() != null) {
            try {
                Instant stated = OffsetDateTime.parse(response.issuedAt()).toInstant();
                if (Duration.between(stated, sent).abs().compareTo(MAX_CLOCK_SKEW) < 0 && stated.isBefore(sent)) {
                    issued = stated;
                }
            } catch (DateTimeParseException ignored) {
                // A malformed issued_at is no reason to fail: the local clock serves.
            }
        }
        Duration margin = lifetime.dividedBy(10).compareTo(Duration.ofSeconds(10)) < 0
                ? lifetime.dividedBy(10) : Duration.ofSeconds(10);
        return issued.plus(lifetime).minus(margin);
    }
}
