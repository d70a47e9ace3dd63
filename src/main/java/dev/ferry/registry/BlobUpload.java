package dev.ferry.registry;

import dev.ferry.auth.AuthenticationException;
import dev.ferry.http.Deadline;
import dev.ferry.http.HttpClients;
import dev.ferry.http.StallWatchdog;
import dev.ferry.manifest.Descriptor;
import dev.ferry.reference.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Streams one blob into an upload session. Each request is sent once (its body cannot be sent
 * again) and watched for stalls; a failure of the source (a digest mismatch, a cut download) is told
 * apart from one of the destination and thrown as the source threw it.
 */
final class BlobUpload {

    private final RegistryEndpoint endpoint;
    private final Repository repository;
    private final List<String> scopes;
    private final long chunkSize;

    BlobUpload(RegistryEndpoint endpoint, Repository repository, List<String> scopes, long chunkSize) {
        this.endpoint = endpoint;
        this.repository = repository;
        this.scopes = scopes;
        this.chunkSize = chunkSize;
    }

    /**
     * One PUT for a blob up to the chunk size; PATCH chunks with {@code Content-Range}, each to the
     * latest {@code Location}, then a closing PUT for a larger one.
     */
    void send(UploadSession session, InputStream source, Descriptor blob, LongConsumer progress,
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
                    checkRange(response, offset + length, subject);
                    session.moveTo(PushClient.location(response, session.location(), "uploading " + subject, repository));
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
            ContentDigestHeader.requireEqual(response.header("Docker-Content-Digest"), blob.digest(), subject);
        }
    }

    /** The registry's {@code Range} after a chunk must cover exactly what was sent so far. */
    private void checkRange(Response response, long sent, String subject) throws IOException {
        String range = response.header("Range");
        if (range == null) {
            return;
        }
        String value = range.trim().startsWith("bytes=") ? range.trim().substring(6) : range.trim();
        if (!value.equals("0-" + (sent - 1))) {
            throw RegistryException.invalidResponse(response.code(), "uploading " + subject, repository.name(),
                    "the registry holds bytes " + value + " of the upload after " + sent + " were sent");
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
        // A registry taking the bytes slower than the minimum rate ends too (the source's own deadline,
        // started earlier, ends first when the source is the slow one).
        Deadline deadline = body == null ? endpoint.limits().small() : endpoint.limits().forBytes(body.contentLength());
        try {
            return endpoint.sendOnce(request.tag(HttpClients.Uploading.class, HttpClients.Uploading.INSTANCE),
                    scopes, deadline, call -> {
                        onAbort.accept(call::cancel);
                        StallWatchdog.Handle handle = StallWatchdog.SHARED.watch(call, endpoint.readTimeoutMillis(),
                                deadline);
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
            throw new RegistryUnreachableException(endpoint.registry().name(), action,
                    handle == null ? Exchanges.explain(e, deadline) : handle.cause(e, "the registry took no bytes"));
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
}
