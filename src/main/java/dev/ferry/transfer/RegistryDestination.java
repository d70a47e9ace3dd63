package dev.ferry.transfer;

import dev.ferry.digest.Digest;
import dev.ferry.digest.VerifyingInputStream;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import dev.ferry.reference.ImageReference;
import dev.ferry.reference.Repository;
import dev.ferry.registry.PushClient;
import dev.ferry.registry.RegistryException;
import dev.ferry.registry.UploadSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A registry repository as a destination: a blob it has is present (HEAD), one of another
 * repository of the same registry is mounted, the rest streams from the source into an upload
 * without touching the disk. The stream is verified here before its last bytes go out, so the
 * registry never holds a complete upload of wrong bytes, whatever the source checked.
 */
public final class RegistryDestination implements ImageDestination {

    private final PushClient push;
    private final ImageReference target;
    private final Repository mountFrom;
    /** Sessions a refused mount opened, to upload into instead of opening another. */
    private final Map<Digest, UploadSession> opened = new ConcurrentHashMap<>();

    /**
     * @param target where to push: its tag, or its digest when it has no tag
     * @param mountFrom the source repository when it is on the destination's registry, or null
     */
    public RegistryDestination(PushClient push, ImageReference target, Repository mountFrom) {
        this.push = push;
        this.target = target;
        this.mountFrom = mountFrom;
    }

    @Override
    public String name() {
        return target.toString();
    }

    @Override
    public void prepare() {
        push.prepare();
    }

    @Override
    public boolean checksDiffIds() {
        return false;
    }

    @Override
    public BlobOutcome tryReuse(Descriptor blob) throws IOException {
        if (push.hasBlob(blob)) {
            return BlobOutcome.PRESENT;
        }
        if (mountFrom != null) {
            Optional<UploadSession> session = push.mount(blob, mountFrom);
            if (session.isEmpty()) {
                return BlobOutcome.MOUNTED;
            }
            opened.put(blob.digest(), session.get()); // the registry could not mount: upload into its session
        }
        return null;
    }

    @Override
    public BlobSink sink(Descriptor blob, Digest diffId) {
        return new Upload(blob, diffId);
    }

    @Override
    public void putBlob(Descriptor blob, byte[] bytes) throws IOException {
        try (Upload upload = new Upload(blob, null)) {
            upload.send(new ByteArrayInputStream(bytes), n -> { }, abort -> { });
        }
    }

    @Override
    public void putManifest(Manifest manifest) throws IOException {
        push.putManifest(manifest.digest().toString(), manifest);
    }

    @Override
    public void commit(Manifest root) throws IOException {
        push.putManifest(target.tag() != null ? target.tag() : root.digest().toString(), root);
    }

    @Override
    public int restartAttempts() {
        return push.retryTimes();
    }

    @Override
    public void restarting(Descriptor blob, int attempt, Throwable cause) {
        push.restarting(blob, attempt, cause);
    }

    /** One blob's upload; a session is never reused after a failed attempt (its body was sent). */
    private final class Upload implements BlobSink {
        private final Descriptor blob;
        private final Digest diffId;
        private boolean freshToken;
        private boolean sessionOpened;
        private boolean oneStream;

        Upload(Descriptor blob, Digest diffId) {
            this.blob = blob;
            this.diffId = diffId;
        }

        @Override
        public Attempt attempt(ImageSource source, LongConsumer progress, Consumer<Runnable> onAbort,
                BooleanSupplier cancelled) throws IOException {
            sessionOpened = false;
            try {
                // step: a large blob's ranges are fetched ahead over several connections, sent in order
                try (InputStream body = source instanceof RangedSource ranged && !oneStream && ranged.splits(blob)
                        ? ranged.readAhead(blob, source.resumeAttempts(), onAbort, cancelled)
                        : source.openBlobFrom(blob, 0, onAbort).body();
                        InputStream checked = diffId == null ? body : DiffIdCheck.wrap(body, blob, diffId)) {
                    send(checked, progress, onAbort);
                }
                return new Attempt.Done(blob.size());
            } catch (RegistryException e) {
                // an upload refused mid-way gets one more try with a fresh token (the streamed body
                // could not be sent again on the spot, as other requests are after a 401)
                if (sessionOpened && e.kind() == RegistryException.Kind.UNAUTHORIZED && !freshToken && !cancelled.getAsBoolean()) {
                    push.forgetToken();
                    freshToken = true;
                    return new Attempt.Restart(e, true);
                }
                return restartOrThrow(e);
            } catch (RangesRefusedException e) {
                if (oneStream) {
                    throw e;
                }
                oneStream = true; // the source does not answer ranges as asked: one stream, at no cost to the retries
                return new Attempt.Restart(e, false);
            } catch (IOException e) {
                return restartOrThrow(e);
            }
        }

        private Attempt restartOrThrow(IOException e) throws IOException {
            if (BlobMover.restartable(e)) {
                return new Attempt.Restart(e, true);
            }
            throw e;
        }

        /** Streams the blob into a session, verified on the way; a failed session is abandoned. */
        void send(InputStream bytes, LongConsumer progress, Consumer<Runnable> onAbort) throws IOException {
            UploadSession session = opened.remove(blob.digest());
            if (session == null) {
                session = push.startUpload();
            }
            sessionOpened = true;
            try {
                push.upload(session, new VerifyingInputStream(bytes, "blob " + blob.digest(), blob.digest(),
                        blob.size()), blob, progress, onAbort);
            } catch (IOException | RuntimeException e) {
                push.cancel(session);
                throw e;
            }
        }

        @Override
        public void close() {
        }
    }
}
