package dev.ferry.sync;

import dev.ferry.digest.Digest;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import dev.ferry.reference.Repository;
import dev.ferry.registry.PushClient;
import dev.ferry.registry.UploadSession;
import dev.ferry.transfer.BlobOutcome;
import dev.ferry.transfer.BlobSink;
import dev.ferry.transfer.ImageDestination;
import dev.ferry.transfer.RegistryDestination;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry repository as the destination of one image of a round: a blob it has stays (HEAD),
 * a blob another image of the round put in another repository of the target registry is mounted
 * from there, and only the first image that needs a blob uploads it.
 */
final class SharingDestination implements ImageDestination {

    private final RegistryDestination delegate;
    private final PushClient push;
    private final Repository repository;
    private final SharedBlobs shared;
    private final Set<Digest> owned = ConcurrentHashMap.newKeySet();

    SharingDestination(RegistryDestination delegate, PushClient push, SharedBlobs shared) {
        this.delegate = delegate;
        this.push = push;
        this.repository = push.repository();
        this.shared = shared;
    }

    @Override
    public BlobOutcome tryReuse(Descriptor blob) throws IOException {
        BlobOutcome present = delegate.tryReuse(blob);
        if (present != null) {
            return present;
        }
        SharedBlobs.Claim claim = shared.claim(blob.digest());
        if (claim.owner()) {
            owned.add(blob.digest());
            return null;
        }
        if (claim.holder() != null && !claim.holder().equals(repository)) {
            Optional<UploadSession> refused = push.mount(blob, claim.holder());
            if (refused.isEmpty()) {
                return BlobOutcome.MOUNTED;
            }
            push.cancel(refused.get());
        } else if (claim.holder() != null && push.hasBlob(blob)) {
            return BlobOutcome.PRESENT;
        }
        return null;
    }

    /** The engine finished a blob of this image: waiters may mount it now. */
    void finished(Digest digest) {
        if (owned.remove(digest)) {
            shared.done(digest, repository);
        }
    }

    /** The transfer ended: blobs this image claimed and did not finish are left to the waiters. */
    void release() {
        for (Digest digest : owned) {
            shared.done(digest, null);
        }
        owned.clear();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void prepare() {
        delegate.prepare();
    }

    @Override
    public boolean checksDiffIds() {
        return delegate.checksDiffIds();
    }

    @Override
    public BlobSink sink(Descriptor blob, Digest diffId) throws IOException {
        return delegate.sink(blob, diffId);
    }

    @Override
    public void putBlob(Descriptor blob, byte[] bytes) throws IOException {
        delegate.putBlob(blob, bytes);
    }

    @Override
    public void putManifest(Manifest manifest) throws IOException {
        delegate.putManifest(manifest);
    }

    @Override
    public void commit(Manifest root) throws IOException {
        delegate.commit(root);
    }

    @Override
    public int restartAttempts() {
        return delegate.restartAttempts();
    }

    @Override
    public void restarting(Descriptor blob, int attempt, Throwable cause) {
        delegate.restarting(blob, attempt, cause);
    }
}
