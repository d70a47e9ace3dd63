package dev.ferry.testing;

import dev.ferry.digest.Digest;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * The blob upload sessions one fake server holds, kept as the distribution registry keeps them:
 * every answer names the next {@code Location} with a fresh {@code _state} in its query, and a
 * request that does not bring back the latest state is refused (400 BLOB_UPLOAD_INVALID), so a
 * client that drops the query or follows an old location is caught. A PATCH must start where the
 * bytes held end (else 416); the closing PUT names the digest of the whole upload (else 400
 * DIGEST_INVALID) and stores the blob in the repository of the registry that opened the session,
 * which may be another server than this one (blob storage elsewhere).
 */
final class FakeUploads {

    private static final Pattern CONTENT_RANGE = Pattern.compile("(?:bytes=)?(\\d+)-(\\d+)");

    private final FakeRegistry server;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong states = new AtomicLong();

    private static final class Session {
        final FakeRegistry owner;
        final String repository;
        final String id;
        final boolean absolute;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        volatile String state;

        Session(FakeRegistry owner, String repository, String id, boolean absolute) {
            this.owner = owner;
            this.repository = repository;
            this.id = id;
            this.absolute = absolute;
        }
    }

    FakeUploads(FakeRegistry server) {
        this.server = server;
    }

    int count() {
        return sessions.size();
    }

    /**
     * POST to {@code uploads/}: a mount ({@code mount} and {@code from}: 201 when {@code from} has
     * the blob, the request may read it and mounts are not refused), a monolithic upload
     * ({@code digest}), or else a new session, on this server or where {@code uploadsAt} says.
     */
    MockResponse start(RecordedRequest request, String repository) {
        String mount = request.getUrl().queryParameter("mount");
        String from = request.getUrl().queryParameter("from");
        if (mount != null && from != null && !server.refuseMounts && server.mayRead(request, from)) {
            byte[] bytes = server.blob(from, Digest.parse(mount));
            if (bytes != null) {
                server.storeBlob(repository, Digest.parse(mount), bytes);
                return stored(repository, Digest.parse(mount));
            }
        }
        String digest = request.getUrl().queryParameter("digest");
        if (digest != null && mount == null) {
            byte[] bytes = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
            if (!Digest.parse(digest).computeOver(bytes).equals(Digest.parse(digest))) {
                return FakeRegistry.error(400, "DIGEST_INVALID", "provided digest did not match uploaded content");
            }
            server.storeBlob(repository, Digest.parse(digest), bytes);
            return stored(repository, Digest.parse(digest));
        }
        FakeRegistry host = server.uploadsAt != null ? server.uploadsAt : server;
        return host.uploads.open(server, repository, server.absoluteUploadLocations);
    }

    private static MockResponse stored(String repository, Digest digest) {
        return new MockResponse.Builder().code(201)
                .addHeader("Location", "/v2/" + repository + "/blobs/" + digest)
                .addHeader("Docker-Content-Digest", digest.toString())
                .build();
    }

    /**
     * Opens a session for a blob of {@code owner}'s {@code repository}: 202 with its Location, an
     * absolute URL when asked for or when this server is not the owner.
     */
    private MockResponse open(FakeRegistry owner, String repository, boolean absolute) {
        Session session = new Session(owner, repository, UUID.randomUUID().toString(), absolute || owner != server);
        sessions.put(session.id, session);
        return next(session, 202);
    }

    MockResponse handle(RecordedRequest request, String repository, String id) {
        Session session = sessions.get(id);
        if (session == null || !session.repository.equals(repository)) {
            return FakeRegistry.error(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
        }
        String state = request.getUrl().queryParameter("_state");
        if (!session.state.equals(state)) {
            return FakeRegistry.error(400, "BLOB_UPLOAD_INVALID", "blob upload invalid: the upload state "
                    + (state == null ? "is missing" : "is not the latest"));
        }
        synchronized (session) {
            return switch (request.getMethod()) {
                case "GET" -> next(session, 204);
                case "DELETE" -> {
                    sessions.remove(id);
                    yield new MockResponse.Builder().code(204).build();
                }
                case "PATCH" -> {
                    MockResponse refused = append(session, request);
                    yield refused != null ? refused : next(session, 202);
                }
                case "PUT" -> {
                    MockResponse refused = append(session, request);
                    yield refused != null ? refused : commit(session, request.getUrl().queryParameter("digest"));
                }
                default -> FakeRegistry.error(405, "UNSUPPORTED", "method not allowed");
            };
        }
    }

    /** Appends the body when its {@code Content-Range} (if any) starts where the bytes held end. */
    private static MockResponse append(Session session, RecordedRequest request) {
        byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
        String range = request.getHeaders().get("Content-Range");
        if (range != null) {
            Matcher m = CONTENT_RANGE.matcher(range.trim());
            long held = session.bytes.size();
            if (!m.matches() || Long.parseLong(m.group(1)) != held
                    || Long.parseLong(m.group(2)) - Long.parseLong(m.group(1)) + 1 != body.length) {
                return FakeRegistry.error(416, "BLOB_UPLOAD_INVALID", "range " + range + " does not follow the "
                        + held + " bytes held with a body of " + body.length).newBuilder()
                        .addHeader("Range", "0-" + Math.max(held - 1, 0)).build();
            }
        }
        session.bytes.writeBytes(body);
        return null;
    }

    private MockResponse commit(Session session, String digestParameter) {
        byte[] bytes = session.bytes.toByteArray();
        Digest digest;
        try {
            digest = Digest.parse(digestParameter);
        } catch (IllegalArgumentException e) {
            return FakeRegistry.error(400, "DIGEST_INVALID", "provided digest is missing or invalid");
        }
        if (!digest.computeOver(bytes).equals(digest)) {
            return FakeRegistry.error(400, "DIGEST_INVALID", "provided digest did not match uploaded content");
        }
        sessions.remove(session.id);
        session.owner.storeBlob(session.repository, digest, bytes);
        return stored(session.repository, digest);
    }

    /** An answer naming where the session goes on: its Location with a fresh state, and the bytes held. */
    private MockResponse next(Session session, int status) {
        session.state = session.id.substring(0, 8) + "." + states.incrementAndGet() + "." + session.bytes.size();
        String location = "/v2/" + session.repository + "/blobs/uploads/" + session.id + "?_state=" + session.state;
        long held = session.bytes.size();
        return new MockResponse.Builder().code(status)
                .addHeader("Location", session.absolute ? server.url(location).toString() : location)
                .addHeader("Range", "0-" + Math.max(held - 1, 0))
                .addHeader("Docker-Upload-UUID", session.id)
                .build();
    }
}
