package dev.ferry.testing;

import dev.ferry.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okio.Buffer;
import tools.jackson.databind.node.ObjectNode;

/**
 * An in-memory registry on a {@link MockWebServer} at 127.0.0.1: manifests by repository and
 * reference, blobs by digest, tag lists, optional bearer or basic auth, a token endpoint at
 * {@code /token}, per-path overrides and per-path request counts. Options are plain fields.
 *
 * <p>ferry tries HTTPS first on loopback. The server hangs up on that handshake at once (see
 * {@link PlainHttpSockets}); it never reaches the dispatcher, so {@link #count} and
 * {@link #requests} see exactly the requests ferry made over plain HTTP.
 */
public final class FakeRegistry extends Dispatcher implements AutoCloseable {

    public static final String SERVICE = "fake-registry";
    /** Held so that the level sticks: the dropped handshakes are expected, not worth a warning. */
    private static final Logger SERVER_LOG = Logger.getLogger(MockWebServer.class.getName());
    private static final Pattern REPO_PATH = Pattern.compile("/v2/(.+)/(manifests|blobs|tags)/([^/]+)");

    private final MockWebServer server = new MockWebServer();
    private final Map<String, Blob> manifests = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, Function<RecordedRequest, MockResponse>> overrides = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> issuedTokens = new CopyOnWriteArrayList<>();
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();

    /** When set, {@code /v2/} requests need a bearer token issued by that fake's {@code /token}. */
    public volatile FakeRegistry tokenIssuer;
    /** When set, {@code /v2/} requests need this Authorization header (see {@link #basic}). */
    public volatile String requiredAuthorization;
    /** When set, {@code /token} needs this Authorization header; anonymous tokens otherwise. */
    public volatile String requiredTokenAuthorization;
    /**
     * When set, {@code /token} wants an OAuth2 refresh-token grant (a POST form) with this refresh
     * token, and answers with {@code access_token}; 400 invalid_grant for another token.
     */
    public volatile String requiredRefreshToken;
    /** The JSON field {@code /token} puts the token in: "token" or "access_token". */
    public volatile String tokenField = "token";
    /** The {@code expires_in} of issued tokens, or null to leave it out. */
    public volatile Long tokenExpiresIn;
    /** Tags per page when the client gives no {@code n}; 0 for one page. */
    public volatile int tagPageSize;
    /** Whether {@code Link} headers carry absolute URLs rather than paths. */
    public volatile boolean absoluteLinks;

    public static FakeRegistry start() throws IOException {
        SERVER_LOG.setLevel(Level.SEVERE);
        var fake = new FakeRegistry();
        fake.server.setDispatcher(fake);
        fake.server.setServerSocketFactory(new PlainHttpSockets());
        fake.server.start(InetAddress.getByName("127.0.0.1"), 0);
        return fake;
    }

    public static String basic(String user, String password) {
        return Credentials.basic(user, password);
    }

    public String hostPort() {
        return "127.0.0.1:" + server.getPort();
    }

    /** {@code docker://127.0.0.1:PORT/} followed by the given repository and reference. */
    public String ref(String repositoryAndReference) {
        return "docker://" + hostPort() + "/" + repositoryAndReference;
    }

    /** An address on this server, by IP (MockWebServer's own {@code url} names it "localhost"). */
    public HttpUrl url(String path) {
        return HttpUrl.get("http://" + hostPort() + "/").resolve(path);
    }

    /** Stores an image's blobs, and its manifest under the tag and under its digest. */
    public FakeRegistry put(String repository, String tag, TestImage image) {
        putBlob(image.config());
        image.layers().forEach(this::putBlob);
        putManifest(repository, image.digest().toString(), image.manifest());
        return putManifest(repository, tag, image.manifest());
    }

    /** Serves the manifest with its media type (when not null) as Content-Type. */
    public FakeRegistry putManifest(String repository, String reference, Blob manifest) {
        manifests.put(repository + " " + reference, manifest);
        return this;
    }

    public FakeRegistry putBlob(Blob blob) {
        blobs.put(blob.digest().toString(), blob.bytes());
        return this;
    }

    /** Answers every request for the exact path (query excluded) with the given answer instead. */
    public FakeRegistry on(String path, Function<RecordedRequest, MockResponse> answer) {
        overrides.put(path, answer);
        return this;
    }

    public FakeRegistry on(String path, MockResponse response) {
        return on(path, request -> response);
    }

    /** Makes every token issued so far invalid, as an expiry or a revocation would. */
    public void revokeTokens() {
        validTokens.clear();
    }

    public List<String> issuedTokens() {
        return List.copyOf(issuedTokens);
    }

    public List<RecordedRequest> requests(String path) {
        return requests.stream().filter(r -> r.getUrl().encodedPath().equals(path)).toList();
    }

    public int count(String path) {
        return requests(path).size();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        String path = request.getUrl().encodedPath();
        Function<RecordedRequest, MockResponse> override = overrides.get(path);
        if (override != null) {
            return override.apply(request);
        }
        if (path.equals("/token")) {
            return token(request);
        }
        Matcher m = REPO_PATH.matcher(path);
        String repository = m.matches() ? m.group(1) : null;
        MockResponse refusal = refusal(request.getHeaders().get("Authorization"), repository);
        if (refusal != null || path.equals("/v2/")) {
            return refusal != null ? refusal : json(200, "{}");
        }
        if (repository == null) {
            return error(404, "NOT_FOUND", "no such endpoint");
        }
        return switch (m.group(2)) {
            case "manifests" -> {
                Blob manifest = manifests.get(repository + " " + m.group(3));
                if (manifest == null) {
                    yield error(404, "MANIFEST_UNKNOWN", "manifest unknown");
                }
                var ok = new MockResponse.Builder().body(new Buffer().write(manifest.bytes()))
                        .addHeader("Docker-Content-Digest", manifest.digest());
                yield (manifest.mediaType() == null ? ok : ok.addHeader("Content-Type", manifest.mediaType())).build();
            }
            case "blobs" -> {
                byte[] blob = blobs.get(m.group(3));
                yield blob == null ? error(404, "BLOB_UNKNOWN", "blob unknown to registry")
                        : new MockResponse.Builder().body(new Buffer().write(blob)).build();
            }
            default -> tags(request, repository);
        };
    }

    private MockResponse refusal(String authorization, String repository) {
        FakeRegistry issuer = tokenIssuer;
        String challenge;
        if (issuer != null) {
            if (authorization != null && issuer.validTokens.contains(authorization.replaceFirst("^Bearer ", ""))) {
                return null;
            }
            challenge = "Bearer realm=\"" + issuer.url("/token") + "\",service=\"" + SERVICE + "\""
                    + (repository == null ? "" : ",scope=\"repository:" + repository + ":pull\"");
        } else if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
            challenge = "Basic realm=\"" + SERVICE + "\"";
        } else {
            return null;
        }
        return error(401, "UNAUTHORIZED", "authentication required").newBuilder()
                .addHeader("WWW-Authenticate", challenge).build();
    }

    private MockResponse token(RecordedRequest request) {
        String refresh = requiredRefreshToken;
        if (refresh != null) {
            HttpUrl form = HttpUrl.get("http://form/?" + (request.getBody() == null ? "" : request.getBody().utf8()));
            if (!request.getMethod().equals("POST") || !"refresh_token".equals(form.queryParameter("grant_type"))
                    || !refresh.equals(form.queryParameter("refresh_token"))) {
                return json(400, "{\"error\":\"invalid_grant\"}");
            }
            String token = "tok-" + UUID.randomUUID();
            validTokens.add(token);
            issuedTokens.add(token);
            return json(200, Json.MAPPER.createObjectNode().put("access_token", token).toString());
        }
        String required = requiredTokenAuthorization;
        if (required != null && !required.equals(request.getHeaders().get("Authorization"))) {
            return error(401, "UNAUTHORIZED", "incorrect username or password");
        }
        String token = "tok-" + UUID.randomUUID();
        validTokens.add(token);
        issuedTokens.add(token);
        ObjectNode body = Json.MAPPER.createObjectNode().put(tokenField, token);
        if (tokenExpiresIn != null) {
            body.put("expires_in", tokenExpiresIn);
        }
        return json(200, body.toString());
    }

    /** The repository's tags, in order, a page at a time as {@code n} and {@code last} ask. */
    private MockResponse tags(RecordedRequest request, String repository) {
        String prefix = repository + " ";
        List<String> all = manifests.keySet().stream().filter(k -> k.startsWith(prefix))
                .map(k -> k.substring(prefix.length())).filter(r -> !r.contains(":")).sorted().toList();
        if (all.isEmpty()) {
            return error(404, "NAME_UNKNOWN", "repository name not known to registry");
        }
        String last = request.getUrl().queryParameter("last");
        String n = request.getUrl().queryParameter("n");
        int size = n != null ? Integer.parseInt(n) : tagPageSize > 0 ? tagPageSize : all.size();
        List<String> rest = all.stream().filter(t -> last == null || t.compareTo(last) > 0).toList();
        List<String> page = rest.subList(0, Math.min(size, rest.size()));
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", repository);
        page.forEach(body.putArray("tags")::add);
        MockResponse.Builder answer = new MockResponse.Builder().addHeader("Content-Type", "application/json")
                .body(body.toString());
        if (page.size() < rest.size()) {
            String next = "/v2/" + repository + "/tags/list?n=" + size + "&last=" + page.getLast();
            answer.addHeader("Link", "<" + (absoluteLinks ? url(next).toString() : next) + ">; rel=\"next\"");
        }
        return answer.build();
    }

    public static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
    }

    /** An error in the distribution spec's shape: {@code {"errors":[{"code","message"}]}}. */
    public static MockResponse error(int status, String code, String message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putArray("errors").addObject().put("code", code).put("message", message);
        return json(status, body.toString());
    }

    @Override
    public void close() {
        server.close();
    }
}
