package dev.ferry.registry;

import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import dev.ferry.reference.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The registry API for pushing into one repository: which blobs it has, cross-repository mounts,
 * streamed blob uploads and manifests. Every request carries one token scope set (push on this
 * repository, pull on the mount source), so one token serves the whole copy.
 */
public final class PushClient {

    /** Blobs up to this size go in one PUT; larger ones in PATCH chunks of this size, then a PUT. */
    public static final long DEFAULT_CHUNK_SIZE = 64L * 1024 * 1024;

    private final RegistryEndpoint endpoint;
    private final Repository repository;
    private final List<String> scopes;
    private final long chunkSize;

    PushClient(RegistryEndpoint endpoint, Repository repository, Repository mountSource, long chunkSize) {
        this.endpoint = endpoint;
        this.repository = repository;
        List<String> wanted = new ArrayList<>(List.of(repository.scope("pull,push")));
        if (mountSource != null && !mountSource.equals(repository)) {
            wanted.add(mountSource.scope("pull"));
        }
        this.scopes = List.copyOf(wanted);
        this.chunkSize = chunkSize;
    }

    public Repository repository() {
        return repository;
    }

    /** How many times a failed upload is started again from its beginning. */
    public int retryTimes() {
        return endpoint.retryTimes();
    }

    /**
     * Says that the upload of {@code blob} starts again from its beginning: counted with the other
     * retries and logged with {@code --debug}.
     */
    public void restarting(Descriptor blob, int attempt, Throwable cause) {
        endpoint.recordRetry("the upload of blob " + blob.digest() + " to " + repository.name(), attempt, cause);
    }

    private HttpUrl url(String pathAfterName) throws IOException {
        return endpoint.base().newBuilder().addPathSegments("v2/" + repository.path() + "/" + pathAfterName).build();
    }

    /** Pings the registry and fetches the push token, sending nothing else (see {@link RegistryEndpoint#prepare}). */
    public void prepare() {
        endpoint.prepare(scopes);
    }

    /** True when the repository already holds the blob (HEAD answers 200). */
    public boolean hasBlob(Descriptor blob) throws IOException {
        Request.Builder head = new Request.Builder().url(url("blobs/" + blob.digest())).head();
        try (Response response = endpoint.send(head, scopes)) {
            if (response.code() == 404) {
                return false;
            }
            RegistryClient.requireSuccess(response, "checking for blob " + blob.digest(), repository.name());
            return true;
        }
    }

    /**
     * Asks the registry to link a blob of {@code from} into this repository. Empty when it did (no
     * bytes move); otherwise the upload session it opened instead (it answers 202 when it cannot
     * mount, e.g. the blob is not there or the token may not read {@code from}).
     */
    public Optional<UploadSession> mount(Descriptor blob, Repository from) throws IOException {
        HttpUrl url = url("blobs/uploads/").newBuilder()
                .addQueryParameter("mount", blob.digest().toString())
                .addQueryParameter("from", from.path())
                .build();
        try (Response response = endpoint.send(new Request.Builder().url(url).post(RequestBody.create(new byte[0])),
                scopes)) {
            if (response.code() == 201) {
                return Optional.empty();
            }
            RegistryClient.requireSuccess(response, "mounting blob " + blob.digest() + " from " + from.path(),
                    repository.name());
            return Optional.of(session(response, url, "mounting blob " + blob.digest()));
        }
    }

    /** Opens an upload session. */
    public UploadSession startUpload() throws IOException {
        HttpUrl url = url("blobs/uploads/");
        try (Response response = endpoint.send(new Request.Builder().url(url).post(RequestBody.create(new byte[0])),
                scopes)) {
            RegistryClient.requireSuccess(response, "starting a blob upload", repository.name());
            return session(response, url, "starting a blob upload");
        }
    }

    private UploadSession session(Response response, HttpUrl requested, String action) throws IOException {
        return new UploadSession(location(response, requested, action, repository));
    }

    /** The {@code Location} of an answer, absolute or relative to the request, query kept. */
    static HttpUrl location(Response response, HttpUrl requested, String action, Repository repository)
            throws IOException {
        String location = response.header("Location");
        HttpUrl resolved = location == null ? null : requested.resolve(location);
        if (resolved == null) {
            throw RegistryException.invalidResponse(response.code(), action, repository.name(),
                    "the registry answered " + response.code() + " without a usable Location header");
        }
        return resolved;
    }

    /**
     * Streams a blob into an upload session (see {@link BlobUpload}): {@code source} must verify
     * the blob's size and digest when read to its end; a mismatch fails before the last bytes are
     * sent and is thrown as the source threw it. The session is not cancelled here on failure.
     *
     * @param onAbort receives a way to abort the request under way from another thread
     */
    public void upload(UploadSession session, InputStream source, Descriptor blob, LongConsumer progress,
            Consumer<Runnable> onAbort) throws IOException {
        new BlobUpload(endpoint, repository, scopes, chunkSize).send(session, source, blob, progress, onAbort);
    }

    /**
     * Forgets the token of this client's requests: an upload refused with 401 (a token revoked or
     * expired mid-transfer) starts again with a fresh one.
     */
    public void forgetToken() {
        endpoint.invalidateToken(scopes);
    }

    /**
     * Abandons an upload session; a failure to do so changes nothing (the registry expires it). A
     * worker stopped because another blob failed is interrupted, maybe while this DELETE is under
     * way, and okio fails every request of an interrupted thread: the flag is set aside while the
     * DELETE goes out, and a DELETE it broke off is sent once more.
     */
    public void cancel(UploadSession session) {
        boolean interrupted = Thread.interrupted();
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                try (Response ignored = endpoint.sendOnce(new Request.Builder().url(session.location()).delete(),
                        scopes, endpoint.limits().small(), call -> { })) {
                    return; // the answer (204, or 404 for a session already gone) does not matter
                } catch (InterruptedIOException e) {
                    if (e instanceof SocketTimeoutException) {
                        return;
                    }
                    interrupted |= Thread.interrupted();
                } catch (IOException | RuntimeException e) {
                    return; // best effort
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Pushes a manifest as its exact bytes with its own media type, by tag or digest. The body can
     * be sent again, so throttling and dropped connections are retried as for any request.
     */
    public void putManifest(String reference, Manifest manifest) throws IOException {
        String subject = repository.name() + (reference.contains(":") ? "@" : ":") + reference;
        Request.Builder put = new Request.Builder().url(url("manifests/" + reference))
                .put(RequestBody.create(manifest.raw(), MediaType.get(manifest.mediaType().value())));
        try (Response response = endpoint.send(put, scopes)) {
            RegistryClient.requireSuccess(response, "pushing manifest", subject);
            ContentDigestHeader.requireEqual(response.header("Docker-Content-Digest"), manifest.digest(),
                    "manifest " + subject);
        }
    }
}
