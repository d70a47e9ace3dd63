package dev.ferry.registry;

import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
import dev.ferry.digest.VerifyingInputStream;
import dev.ferry.http.Deadline;
import dev.ferry.http.StallWatchdog;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import dev.ferry.manifest.ManifestException;
import dev.ferry.manifest.ManifestParser;
import dev.ferry.manifest.MediaType;
import dev.ferry.reference.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import okhttp3.Request;
import okhttp3.Response;

/** The registry API for one repository: manifests, blobs and tags. */
public final class RegistryClient {

    private final RegistryEndpoint endpoint;
    private final Repository repository;
    private final List<String> pullScope;

    RegistryClient(RegistryEndpoint endpoint, Repository repository) {
        this.endpoint = endpoint;
        this.repository = repository;
        this.pullScope = List.of(repository.scope("pull"));
    }

    public Repository repository() {
        return repository;
    }

    private Request.Builder get(String pathAfterName) throws IOException {
        return new Request.Builder().url(endpoint.base().newBuilder()
                .addPathSegments("v2/" + repository.path() + "/" + pathAfterName).build());
    }

    /**
     * Fetches a manifest by tag or digest, keeping its bytes as served and checking them against the
     * requested digest and the registry's {@code Docker-Content-Digest}.
     */
    public Manifest manifest(String reference) throws IOException {
        String subject = repository.name() + (reference.contains(":") ? "@" : ":") + reference;
        Digest pinned = reference.contains(":") ? Digest.parse(reference) : null;
        String action = "fetching manifest";
        try (Response response = endpoint.send(get("manifests/" + reference).header("Accept", MediaType.ACCEPT), pullScope)) {
            requireSuccess(response, action, subject);
            long length = response.body().contentLength();
            if (length > ManifestParser.MAX_MANIFEST_BYTES) {
                throw ManifestException.invalid(subject, "the manifest is " + length + " bytes, more than the "
                        + ManifestParser.MAX_MANIFEST_BYTES + " ferry accepts", null);
            }
            byte[] raw = readBody(response, ManifestParser.MAX_MANIFEST_BYTES + 1, endpoint, "reading manifest " + subject);
            if (raw.length > ManifestParser.MAX_MANIFEST_BYTES) {
                throw ManifestException.invalid(subject, "the manifest is larger than the "
                        + ManifestParser.MAX_MANIFEST_BYTES + " bytes ferry accepts", null);
            }
            Digest digest = pinned != null ? pinned.computeOver(raw) : Digest.sha256(raw);
            if (pinned != null && !pinned.equals(digest)) {
                throw VerificationException.digestMismatch(subject, pinned, digest);
            }
            checkContentDigestHeader(response.header("Docker-Content-Digest"), raw, subject);
            return ManifestParser.parse(subject, raw, response.header("Content-Type"), digest);
        }
    }

    /**
     * The digest a tag or digest names, asked with HEAD only (Docker Hub counts GETs of manifests
     * against its pull limit, not HEADs); empty when the registry has no such manifest.
     */
    public java.util.Optional<Digest> manifestDigest(String reference) throws IOException {
        String subject = repository.name() + (reference.contains(":") ? "@" : ":") + reference;
        try (Response response = endpoint.send(get("manifests/" + reference).head().header("Accept", MediaType.ACCEPT),
                pullScope)) {
            if (response.code() == 404) {
                return java.util.Optional.empty();
            }
            requireSuccess(response, "checking manifest", subject);
            Digest digest = ContentDigestHeader.parse(response.header("Docker-Content-Digest"));
            if (digest == null) {
                throw ManifestException.invalid(subject, "the registry answered HEAD without Docker-Content-Digest", null);
            }
            return java.util.Optional.of(digest);
        }
    }

    private static void checkContentDigestHeader(String header, byte[] raw, String subject) throws IOException {
        Digest stated = ContentDigestHeader.parse(header);
        if (stated == null) {
            return;
        }
        Digest actual = stated.computeOver(raw);
        if (!actual.equals(stated)) {
            throw new VerificationException(subject, "the registry's Docker-Content-Digest " + stated
                    + " does not match the manifest it sent (" + actual + ")");
        }
    }

    /**
     * Opens a blob for streaming. The stream verifies size and digest and fails on the read that
     * reaches the end when they differ; closing it releases the connection.
     */
    public InputStream openBlob(Descriptor descriptor) throws IOException {
        return openBlob(descriptor, abort -> { });
    }

    /**
     * As {@link #openBlob(Descriptor)}, handing {@code onAbort} a way for another thread to abort the
     * transfer: a read blocked on a slow connection then fails at once.
     */
    public InputStream openBlob(Descriptor descriptor, Consumer<Runnable> onAbort) throws IOException {
        BlobRange whole = openBlobFrom(descriptor, 0, onAbort);
        return new VerifyingInputStream(whole.body(), "blob " + descriptor.digest(), descriptor.digest(),
                descriptor.size());
    }

    /**
     * Asks for a blob from byte {@code offset} on ({@code Range: bytes=offset-}), for resuming a
     * download. The answer starts at {@code offset} only when the registry sent 206 with a
     * {@code Content-Range} naming exactly the rest of the blob; a registry that ignores the range
     * (200) gives the whole blob, and one that refuses it (416) or names other bytes is asked again
     * for the whole blob. The body is not verified: the caller hashes what it had before plus this.
     */
    public BlobRange openBlobFrom(Descriptor descriptor, long offset, Consumer<Runnable> onAbort) throws IOException {
        if (offset > 0) {
            Answer answer = request(descriptor, offset, descriptor.size(), onAbort);
            int code = answer.response().code();
            if (code == 206 && rangeMatches(answer.response().header("Content-Range"), offset, descriptor.size())) {
                return new BlobRange(offset, answer.body());
            }
            if (code == 200) {
                return new BlobRange(0, answer.body());
            }
            answer.body().close(); // 416, or other bytes than asked for: ask for the whole blob
        }
        return new BlobRange(0, request(descriptor, 0, descriptor.size(), onAbort).body());
    }

    /**
     * Asks for the bytes {@code [start, end)} of a blob ({@code Range: bytes=start-(end-1)}), for
     * fetching one blob over several connections. Returns them only when the registry (or the
     * storage it redirected to) sent 206 with a {@code Content-Range} naming exactly them; null,
     * with the answer closed, when it sent the whole blob (200), other bytes, or refused the range
     * (416): the caller then fetches the blob in one stream. The body is not verified.
     */
    public BlobRange openBlobPart(Descriptor descriptor, long start, long end, Consumer<Runnable> onAbort)
            throws IOException {
        if (start < 0 || end <= start || end > descriptor.size()) {
            throw new IllegalArgumentException("a part must lie within the blob");
        }
        Answer answer = request(descriptor, start, end, onAbort);
        if (answer.response().code() == 206
                && rangeMatches(answer.response().header("Content-Range"), start, end - 1, descriptor.size())) {
            return new BlobRange(start, answer.body());
        }
        answer.body().close();
        return null;
    }

    private record Answer(Response response, BlobBody body) {
    }

    /** {@code bytes offset-(size-1)/size}, the size also being allowed as {@code *}. */
    static boolean rangeMatches(String contentRange, long offset, long size) {
        return rangeMatches(contentRange, offset, size - 1, size);
    }

    /** {@code bytes first-last/size}, the size also being allowed as {@code *}. */
    static boolean rangeMatches(String contentRange, long first, long last, long size) {
        if (contentRange == null) {
            return false;
        }
        String expected = "bytes " + first + "-" + last + "/";
        String value = contentRange.trim();
        if (!value.startsWith(expected)) {
            return false;
        }
        String total = value.substring(expected.length());
        return total.equals(Long.toString(size)) || total.equals("*");
    }

    /** Sends the request; closing the body ends the call. Fails on an error status other than 416. */
    private Answer request(Descriptor descriptor, long offset, long end, Consumer<Runnable> onAbort)
            throws IOException {
        String subject = "blob " + descriptor.digest();
        AtomicReference<StallWatchdog.Handle> watch = new AtomicReference<>();
        Request.Builder request = get("blobs/" + descriptor.digest());
        boolean part = end < descriptor.size();
        if (offset > 0 || part) {
            request.header("Range", "bytes=" + offset + "-" + (part ? Long.toString(end - 1) : ""));
        }
        // The size asked for; a sender slower than the minimum rate ends.
        Deadline deadline = endpoint.limits().forBytes(end - offset);
        Response response = endpoint.sendStreaming(request, pullScope, deadline, call -> {
            onAbort.accept(call::cancel);
            StallWatchdog.Handle previous = watch.getAndSet(
                    StallWatchdog.SHARED.watch(call, endpoint.readTimeoutMillis(), deadline));
            if (previous != null) {
                previous.close(); // the call before an auth retry
            }
        });
        try {
            if ((offset == 0 && !part) || response.code() != 416) {
                requireSuccess(response, "fetching " + subject, repository.name());
            }
        } catch (IOException e) {
            response.close();
            watch.get().close();
            throw e;
        }
        return new Answer(response, new BlobBody(response, watch.get(), endpoint.registry().name(), subject));
    }

    /** How many times a blob whose transfer broke off is resumed: as often as a request is retried. */
    public int resumeAttempts() {
        return endpoint.retryTimes();
    }

    /** Fetches a small blob (a config) whole, verified. */
    public byte[] blobBytes(Descriptor descriptor, int maxBytes) throws IOException {
        if (descriptor.size() > maxBytes) {
            throw new VerificationException("blob " + descriptor.digest(), "is " + descriptor.size()
                    + " bytes, more than the " + maxBytes + " ferry reads into memory");
        }
        try (InputStream in = openBlob(descriptor)) {
            byte[] bytes = in.readNBytes((int) Math.max(descriptor.size(), 0) + 1);
            if (in.read() != -1 || bytes.length > descriptor.size()) {
                throw VerificationException.sizeMismatch("blob " + descriptor.digest(), descriptor.size(), bytes.length);
            }
            return bytes;
        }
    }

    /**
     * Deletes the manifest with this digest, as {@code skopeo delete} does: the registry forgets it
     * and every tag that names it (blobs stay until the registry collects garbage).
     */
    public void deleteManifest(Digest digest) throws IOException {
        String subject = repository.name() + "@" + digest;
        Request.Builder delete = get("manifests/" + digest).delete();
        try (Response response = endpoint.send(delete, List.of(repository.scope("delete")))) {
            requireSuccess(response, response.code() == 405
                    ? "deleting the manifest (the registry does not allow deleting; distribution needs "
                            + "storage.delete.enabled)"
                    : "deleting the manifest", subject);
        }
    }

    /**
     * Every tag of the repository, following {@code Link} pagination.
     *
     * @throws TagListTruncatedException when the registry links to more than 10,000 pages or sends
     *     more than 64 MiB; it holds the tags read until then
     */
    public List<String> tags() throws IOException {
        return tags(TagLister.MAX_PAGES, TagLister.MAX_TOTAL_BYTES);
    }

    List<String> tags(int maxPages, long maxBytes) throws IOException {
        return new TagLister(endpoint, repository, pullScope, maxPages, maxBytes).all();
    }

    /**
     * Reads a small body (up to {@code max} bytes) within the exchange's grace deadline; a body that
     * breaks off or does not arrive in time names the registry, what it was and the limit.
     */
    static byte[] readBody(Response response, int max, RegistryEndpoint endpoint, String action) throws IOException {
        try {
            return response.body().byteStream().readNBytes(max);
        } catch (IOException e) {
            throw new RegistryUnreachableException(endpoint.registry().name(), action,
                    Exchanges.explain(e, endpoint.limits().small()));
        }
    }

    static void requireSuccess(Response response, String action, String subject) throws IOException {
        if (response.isSuccessful()) {
            return;
        }
        byte[] body;
        try {
            body = response.body().byteStream().readNBytes(64 * 1024);
        } catch (IOException e) {
            body = new byte[0]; // the status is the answer; an error body that does not arrive adds nothing
        }
        List<RegistryError> errors = RegistryError.parseBody(body);
        throw new RegistryException(RegistryException.kindOf(response.code(), errors), response.code(), errors,
                action, subject);
    }
}
