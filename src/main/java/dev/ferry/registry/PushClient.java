package dev.ferry.registry;

import dev.ferry.auth.AuthenticationException;
import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
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
import java.util.concurrent.atomic.AtomicReference;
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

    /** Whether a blob of {@code other} can be mounted here: another repository of this registry. */
    public boolean canMountFrom(Repository other) {
        return other.registry().equals(repository.registry()) && !other.equals(repository);
    }

    private HttpUrl url(String pathAfterName) throws IOException {
        return endpoint.base().newBuilder().addPathSegments("v2/" + repository.path() + "/" + pathAfterName).build();
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
        return new UploadSession(location(response, requested, action));
    }

    /** The {@code Location} of an answer, absolute or relative to the request, query kept. */
    private HttpUrl location(Response response, HttpUrl requested, String action) throws IOException {
        String location = response.header("Location");
        HttpUrl resolved = location == null ? null : requested.resolve(location);
        if (resolved == null) {
            throw RegistryException.invalidResponse(action, repository.name(),
                    "the registry answered " + response.code() + " without a usable Location header");
        }
        return resolved;
    }

    /**
     * Streams a blob into an upload session: one PUT for a small blob, PATCH chunks with
     * {@code Content-Range} then a closing PUT for a large one. {@code source} must verify the
     * blob's size and digest when read to its end: a mismatch fails before the last bytes are sent
     * and is thrown as the source threw it. The session follows each answer's {@code Location}, so
     * that a failed upload is cancelled where the registry last pointed; it is not cancelled here.
     *
     * @param onAbort receives a way to abort the request under way from another thread
     */
    public void upload(UploadSession session, InputStream source, Descriptor blob, LongConsumer progress,
            Consumer<Runnable> onAbort) throws IOException {
        String subject = "blob " + blob.digest();
        if (blob.size() > chunkSize) {
            long offset = 0;
            while (offset < blob.size()) {
                long length = Math.min(chunkSize, blob.size() - offset);
                boolean last = offset + length == blob.size();
                UploadBody chunk = new UploadBody(source, length, last, progress);
                Request.Builder patch = new Request.Builder().url(session.location())
                        .header("Content-Range", offset + "-" + (offset + length - 1))
                        .patch(chunk);
                try (Response response = once(patch, chunk, "uploading " + subject, onAbort)) {
                    RegistryClient.requireSuccess(response, "uploading " + subject, repository.name());
                    checkRange(response.header("Range"), offset + length, subject);
                    session.moveTo(location(response, session.location(), "uploading " + subject));
                }
                offset += length;
            }
            finish(session.location(), RequestBody.create(new byte[0]), blob, onAbort);
        } else {
            finish(session.location(), new UploadBody(source, blob.size(), true, progress), blob, onAbort);
        }
    }

    private void finish(HttpUrl at, RequestBody body, Descriptor blob, Consumer<Runnable> onAbort) throws IOException {
        String subject = "blob " + blob.digest();
        HttpUrl url = at.newBuilder().addQueryParameter("digest", blob.digest().toString()).build();
        try (Response response = once(new Request.Builder().url(url).put(body),
                body instanceof UploadBody upload ? upload : null, "uploading " + subject, onAbort)) {
            RegistryClient.requireSuccess(response, "completing the upload of " + subject, repository.name());
            checkDigestHeader(response.header("Docker-Content-Digest"), blob.digest(), subject);
        }
    }

    /** The registry's {@code Range} after a chunk must cover exactly what was sent so far. */
    private void checkRange(String range, long sent, String subject) throws IOException {
        if (range == null) {
            return;
        }
        String value = range.trim().startsWith("bytes=") ? range.trim().substring(6) : range.trim();
        if (!value.equals("0-" + (sent - 1))) {
            throw RegistryException.invalidResponse("uploading " + subject, repository.name(),
                    "the registry holds bytes " + value + " of the upload after " + sent + " were sent");
        }
    }

    private static void checkDigestHeader(String header, Digest expected, String subject) throws IOException {
        Digest stated = ContentDigestHeader.parse(header);
        if (stated != null && stated.algorithm().equals(expected.algorithm()) && !stated.equals(expected)) {
            throw VerificationException.digestMismatch(subject + " as stored by the registry", expected, stated);
        }
    }

    /**
     * Sends an upload request once. Its body is written without okio's per-write timeout (which
     * would wake a watchdog thread every 8 KiB): the stall watchdog cancels an upload that writes
     * nothing for the read timeout instead.
     *
     * @param body the streamed body, or null for an empty one
     */
    private Response once(Request.Builder request, UploadBody body, String action, Consumer<Runnable> onAbort)
            throws IOException {
        AtomicReference<StallWatchdog.Handle> watch = new AtomicReference<>();
        try {
            return endpoint.sendOnce(request.tag(HttpClients.Uploading.class, HttpClients.Uploading.INSTANCE),
                    scopes, call -> {
                        onAbort.accept(call::cancel);
                        StallWatchdog.Handle handle = StallWatchdog.SHARED.watch(call, endpoint.readTimeoutMillis());
                        watch.set(handle);
                        if (body != null) {
                            body.watchedBy(handle);
                        }
                    });
        } catch (UploadBody.SourceFailure e) {
            throw e.source();
        } catch (RegistryException | RegistryUnreachableException | AuthenticationException e) {
            throw e;
        } catch (IOException e) {
            UploadBody.SourceFailure source = sourceFailure(e);
            if (source != null) {
                throw source.source();
            }
            StallWatchdog.Handle handle = watch.get();
            IOException cause = handle != null && handle.fired()
                    ? new SocketTimeoutException("the registry took no bytes for " + handle.timeoutSeconds() + " s") : e;
            throw new RegistryUnreachableException(endpoint.registry().name(), action, cause);
        } finally {
            StallWatchdog.Handle handle = watch.get();
            if (handle != null) {
                handle.close();
            }
        }
    }

    private static UploadBody.SourceFailure sourceFailure(Throwable t) {
        for (Throwable at = t; at != null; at = at.getCause()) {
            if (at instanceof UploadBody.SourceFailure failure) {
                return failure;
            }
            for (Throwable suppressed : at.getSuppressed()) {
                if (suppressed instanceof UploadBody.SourceFailure failure) {
                    return failure;
                }
            }
        }
        return null;
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
                        scopes, call -> { })) {
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
            checkDigestHeader(response.header("Docker-Content-Digest"), manifest.digest(), "manifest " + subject);
        }
    }
}
