package dev.ferry.testing;

import dev.ferry.digest.Digest;
import dev.ferry.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okio.Buffer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An in-memory registry on a {@link MockWebServer} at 127.0.0.1: manifests by repository and
 * reference, blobs by repository and digest, tag lists, optional bearer or basic auth, a token
 * endpoint at {@code /token}, per-path overrides, interceptors by method and path pattern, and
 * request counts. Options are plain fields.
 *
 * <p>It takes pushes as the distribution registry does: HEAD on blobs, upload sessions (see
 * {@link FakeUploads}; their Location relative or absolute, or on another fake standing in for
 * blob storage), cross-repository mounts (201 when the source repository has the blob and the
 * token may pull from it, else 202 with a session), and manifest PUTs, stored as their exact bytes
 * with their Content-Type once every blob and child manifest they name is in the repository. With
 * a token issuer, tokens carry the scopes asked for, and a request needs push on its repository
 * unless it only reads.
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
    private static final Pattern UPLOAD_PATH = Pattern.compile("/v2/(.+)/blobs/uploads/([^/]*)");
    /** The repository of {@link #putBlob(Blob)}: blobs every repository sees. */
    private static final String EVERY_REPOSITORY = "";

    private final MockWebServer server = new MockWebServer();
    private final Map<String, Blob> manifests = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, Function<RecordedRequest, MockResponse>> overrides = new ConcurrentHashMap<>();
    private final List<Interceptor> interceptors = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> issuedTokens = new CopyOnWriteArrayList<>();
    /** Valid tokens and the scopes each was issued for. */
    private final Map<String, Set<String>> grants = new ConcurrentHashMap<>();
    private final List<PushedManifest> pushedManifests = new CopyOnWriteArrayList<>();
    final FakeUploads uploads = new FakeUploads(this);

    /** When set, {@code /v2/} requests need a bearer token issued by that fake's {@code /token}. */
    public volatile FakeRegistry tokenIssuer;
    /** When set, {@code /v2/} requests need this Authorization header (see {@link #basic}). */
    public volatile String requiredAuthorization;
    /** When set, {@code /token} needs this Authorization header; anonymous tokens otherwise. */
    public volatile String requiredTokenAuthorization;
    /** With {@link #requiredTokenAuthorization}: a request without credentials still gets a token (Docker Hub's public images). */
    public volatile boolean anonymousTokens;
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
    /** Whether upload sessions' {@code Location} is an absolute URL rather than a path. */
    public volatile boolean absoluteUploadLocations;
    /** When set, upload sessions are opened on that fake, as on blob storage on another host. */
    public volatile FakeRegistry uploadsAt;
    /** Whether mount requests are always answered 202 with a session, as when mounting is disabled. */
    public volatile boolean refuseMounts;

    /** A manifest as a client pushed it: where, its Content-Type and its exact bytes. */
    public record PushedManifest(String repository, String reference, String contentType, byte[] bytes) {
    }

    private record Interceptor(String method, Pattern path, Function<RecordedRequest, MockResponse> answer) {
    }

    public static FakeRegistry start() throws IOException {
        SERVER_LOG.setLevel(Level.SEVERE);
        var fake = new FakeRegistry();
        fake.server.setDispatcher(fake);
        fake.server.setServerSocketFactory(new PlainHttpSockets());
        fake.server.start(InetAddress.getByName("127.0.0.1"), 0);
        return fake;
    }

    /** The same registry over HTTPS with this key, offering these protocols (HTTP/2 among them, say). */
    public static FakeRegistry startHttps(javax.net.ssl.SSLSocketFactory sockets, List<okhttp3.Protocol> protocols)
            throws IOException {
        SERVER_LOG.setLevel(Level.SEVERE);
        var fake = new FakeRegistry();
        fake.server.setDispatcher(fake);
        fake.server.useHttps(sockets);
        fake.server.setProtocols(protocols);
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

    /** Stores an image's blobs in the repository, and its manifest under the tag and under its digest. */
    public FakeRegistry put(String repository, String tag, TestImage image) {
        putBlob(repository, image.config());
        image.layers().forEach(layer -> putBlob(repository, layer));
        putManifest(repository, image.digest().toString(), image.manifest());
        return putManifest(repository, tag, image.manifest());
    }

    /** Serves the manifest with its media type (when not null) as Content-Type. */
    public FakeRegistry putManifest(String repository, String reference, Blob manifest) {
        manifests.put(repository + " " + reference, manifest);
        return this;
    }

    /** Stores a blob that every repository has. */
    public FakeRegistry putBlob(Blob blob) {
        return putBlob(EVERY_REPOSITORY, blob);
    }

    public FakeRegistry putBlob(String repository, Blob blob) {
        storeBlob(repository, blob.digest(), blob.bytes());
        return this;
    }

    void storeBlob(String repository, Digest digest, byte[] bytes) {
        blobs.put(repository + " " + digest, bytes);
    }

    /** The blob's bytes as the repository holds them, or null. */
    public byte[] blob(String repository, Digest digest) {
        byte[] own = blobs.get(repository + " " + digest);
        return own != null ? own : blobs.get(EVERY_REPOSITORY + " " + digest);
    }

    /** The manifest as stored under the repository and tag or digest, or null. */
    public Blob manifest(String repository, String reference) {
        return manifests.get(repository + " " + reference);
    }

    /** Every manifest pushed, in the order the pushes completed. */
    public List<PushedManifest> pushedManifests() {
        return List.copyOf(pushedManifests);
    }

    /** How many upload sessions this server holds open (neither completed nor deleted). */
    public int openUploads() {
        return uploads.count();
    }

    /** Answers every request for the exact path (query excluded) with the given answer instead. */
    public FakeRegistry on(String path, Function<RecordedRequest, MockResponse> answer) {
        overrides.put(path, answer);
        return this;
    }

    public FakeRegistry on(String path, MockResponse response) {
        return on(path, request -> response);
    }

    /**
     * Lets {@code answer} see every request with the method whose path (query excluded) matches the
     * regular expression, before any authorization check; when it returns null, the registry
     * answers as usual. Interceptors are asked in the order they were added.
     */
    public FakeRegistry intercept(String method, String pathPattern, Function<RecordedRequest, MockResponse> answer) {
        interceptors.add(new Interceptor(method, Pattern.compile(pathPattern), answer));
        return this;
    }

    /** Makes every token issued so far invalid, as an expiry or a revocation would. */
    public void revokeTokens() {
        grants.clear();
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

    /** The requests with the method whose path (query excluded) matches the regular expression. */
    public List<RecordedRequest> requests(String method, String pathPattern) {
        Pattern pattern = Pattern.compile(pathPattern);
        return requests.stream().filter(r -> r.getMethod().equals(method)
                && pattern.matcher(r.getUrl().encodedPath()).matches()).toList();
    }

    public int count(String method, String pathPattern) {
        return requests(method, pathPattern).size();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        MockResponse answer = answer(request);
        if (!request.getMethod().equals("HEAD") || answer.getBody() == null) {
            return answer;
        }
        // As an HTTP server must: a body after a HEAD answer would be read as the next answer.
        String length = answer.getHeaders().get("Content-Length");
        return answer.newBuilder().body(new Buffer()).setHeader("Content-Length", length != null ? length : "0").build();
    }

    private MockResponse answer(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        Function<RecordedRequest, MockResponse> override = overrides.get(path);
        if (override != null) {
            return override.apply(request);
        }
        for (Interceptor interceptor : interceptors) {
            if (interceptor.method().equals(request.getMethod()) && interceptor.path().matcher(path).matches()) {
                MockResponse answer = interceptor.answer().apply(request);
                if (answer != null) {
                    return answer;
                }
            }
        }
        if (path.equals("/token")) {
            return token(request);
        }
        Matcher upload = UPLOAD_PATH.matcher(path);
        Matcher m = REPO_PATH.matcher(path);
        String repository = upload.matches() ? upload.group(1) : m.matches() ? m.group(1) : null;
        MockResponse refusal = refusal(request, repository);
        if (refusal != null || path.equals("/v2/")) {
            return refusal != null ? refusal : json(200, "{}");
        }
        if (repository == null) {
            return error(404, "NOT_FOUND", "no such endpoint");
        }
        if (upload.matches()) {
            return upload.group(2).isEmpty() ? uploads.start(request, repository)
                    : uploads.handle(request, repository, upload.group(2));
        }
        return switch (m.group(2)) {
            case "manifests" -> request.getMethod().equals("PUT") ? pushManifest(request, repository, m.group(3))
                    : manifestAnswer(repository, m.group(3));
            case "blobs" -> {
                byte[] blob = blobs.get(repository + " " + m.group(3));
                blob = blob != null ? blob : blobs.get(EVERY_REPOSITORY + " " + m.group(3));
                yield blob == null ? error(404, "BLOB_UNKNOWN", "blob unknown to registry")
                        : found(blob, null, m.group(3));
            }
            default -> tags(request, repository);
        };
    }

    private MockResponse manifestAnswer(String repository, String reference) {
        Blob manifest = manifests.get(repository + " " + reference);
        if (manifest == null) {
            return error(404, "MANIFEST_UNKNOWN", "manifest unknown");
        }
        return found(manifest.bytes(), manifest.mediaType(), manifest.digest().toString());
    }

    /** The bytes with their digest and (when not null) type. */
    private static MockResponse found(byte[] bytes, String contentType, String digest) {
        var ok = new MockResponse.Builder().addHeader("Docker-Content-Digest", digest);
        if (contentType != null) {
            ok.addHeader("Content-Type", contentType);
        }
        return ok.body(new Buffer().write(bytes)).build();
    }

    /**
     * Stores a pushed manifest under its reference and its digest, once the repository holds every
     * blob it names (foreign layers apart) and every manifest an index names.
     */
    private MockResponse pushManifest(RecordedRequest request, String repository, String reference) {
        byte[] bytes = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
        String contentType = request.getHeaders().get("Content-Type");
        Digest digest = Digest.sha256(bytes);
        if (reference.contains(":") && !Digest.parse(reference).computeOver(bytes).equals(Digest.parse(reference))) {
            return error(400, "DIGEST_INVALID", "manifest does not match the digest it is pushed under");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (RuntimeException e) {
            return error(400, "MANIFEST_INVALID", "manifest invalid: " + e.getMessage());
        }
        List<JsonNode> named = new ArrayList<>();
        if (root.has("config")) {
            named.add(root.get("config"));
        }
        root.path("layers").forEach(named::add);
        for (JsonNode blob : named) {
            boolean foreign = blob.has("urls") || blob.path("mediaType").asString("").contains("foreign")
                    || blob.path("mediaType").asString("").contains("nondistributable");
            if (!foreign && blob(repository, Digest.parse(blob.path("digest").asString(""))) == null) {
                return error(400, "MANIFEST_BLOB_UNKNOWN", "blob unknown to registry: " + blob.path("digest").asString(""));
            }
        }
        for (JsonNode child : root.path("manifests")) {
            if (manifest(repository, child.path("digest").asString("")) == null) {
                return error(400, "MANIFEST_BLOB_UNKNOWN", "manifest unknown to registry: " + child.path("digest").asString(""));
            }
        }
        Blob stored = new Blob(contentType, bytes);
        putManifest(repository, digest.toString(), stored);
        putManifest(repository, reference, stored);
        pushedManifests.add(new PushedManifest(repository, reference, contentType, bytes));
        return new MockResponse.Builder().code(201).addHeader("Location", "/v2/" + repository + "/manifests/" + digest)
                .addHeader("Docker-Content-Digest", digest.toString()).build();
    }

    /** A request that only reads needs pull on its repository; any other needs push too. */
    private static String actionsNeeded(RecordedRequest request) {
        return switch (request.getMethod()) {
            case "GET", "HEAD" -> "pull";
            default -> "pull,push";
        };
    }

    /** The scopes of the request's bearer token, or null when it has no valid one. */
    private Set<String> granted(RecordedRequest request) {
        FakeRegistry issuer = tokenIssuer;
        String authorization = request.getHeaders().get("Authorization");
        return issuer == null || authorization == null ? null
                : issuer.grants.get(authorization.replaceFirst("^Bearer ", ""));
    }

    private static boolean allows(Set<String> granted, String repository, String actions) {
        String prefix = "repository:" + repository + ":";
        Set<String> held = new HashSet<>();
        granted.stream().filter(s -> s.startsWith(prefix))
                .forEach(s -> held.addAll(List.of(s.substring(prefix.length()).split(","))));
        return held.containsAll(List.of(actions.split(",")));
    }

    /** Whether the request may read {@code repository}: what a mount from it needs. */
    boolean mayRead(RecordedRequest request, String repository) {
        if (tokenIssuer == null) {
            return true;
        }
        Set<String> granted = granted(request);
        return granted != null && allows(granted, repository, "pull");
    }

    private MockResponse refusal(RecordedRequest request, String repository) {
        FakeRegistry issuer = tokenIssuer;
        String authorization = request.getHeaders().get("Authorization");
        String challenge;
        if (issuer != null) {
            Set<String> granted = granted(request);
            String actions = actionsNeeded(request);
            if (granted != null && (repository == null || allows(granted, repository, actions))) {
                return null;
            }
            challenge = "Bearer realm=\"" + issuer.url("/token") + "\",service=\"" + SERVICE + "\""
                    + (repository == null ? "" : ",scope=\"repository:" + repository + ":" + actions + "\"")
                    + (granted != null ? ",error=\"insufficient_scope\"" : "");
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
            String scope = form.queryParameter("scope");
            grants.put(token, scope == null ? Set.of() : Set.of(scope.split(" ")));
            issuedTokens.add(token);
            return json(200, Json.MAPPER.createObjectNode().put("access_token", token).toString());
        }
        String required = requiredTokenAuthorization;
        String given = request.getHeaders().get("Authorization");
        if (required != null && !required.equals(given) && !(anonymousTokens && given == null)) {
            return error(401, "UNAUTHORIZED", "incorrect username or password");
        }
        String token = "tok-" + UUID.randomUUID();
        grants.put(token, request.getUrl().queryParameterValues("scope").stream().filter(Objects::nonNull)
                .collect(Collectors.toUnmodifiableSet()));
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
