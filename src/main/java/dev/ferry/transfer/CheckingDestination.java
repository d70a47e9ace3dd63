package dev.ferry.transfer;

import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
import dev.ferry.layout.BlobReceiver;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A destination that keeps nothing: every blob is read from the source and checked for size,
 * digest and diff_id, then dropped. What {@code ferry verify} runs the engine into. A blob that
 * does not verify is recorded and the others go on, so that every bad blob is found.
 */
public final class CheckingDestination implements ImageDestination {

    private final List<VerificationException> failures = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "verification";
    }

    @Override
    public boolean checksDiffIds() {
        return true;
    }

    @Override
    public BlobOutcome tryReuse(Descriptor blob) {
        return null;
    }

    @Override
    public BlobSink sink(Descriptor blob, Digest diffId) {
        LayoutDestination.Receiving receiving = new LayoutDestination.Receiving(
                BlobReceiver.discarding(blob, diffId), blob);
        return new BlobSink() {
            @Override
            public Attempt attempt(ImageSource source, LongConsumer progress, Consumer<Runnable> onAbort,
                    BooleanSupplier cancelled) throws IOException {
                try {
                    return receiving.attempt(source, progress, onAbort, cancelled);
                } catch (VerificationException e) {
                    failures.add(e);
                    return new Attempt.Done(0);
                }
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void putBlob(Descriptor blob, byte[] bytes) throws IOException {
        Digest actual = blob.digest().computeOver(bytes);
        if (bytes.length != blob.size()) {
            failures.add(VerificationException.sizeMismatch("blob " + blob.digest(), blob.size(), bytes.length));
        } else if (!actual.equals(blob.digest())) {
            failures.add(VerificationException.digestMismatch("blob " + blob.digest(), blob.digest(), actual));
        }
    }

    @Override
    public void putManifest(Manifest manifest) {
        // a manifest's digest is computed from its bytes when it is parsed, and checked against its name
    }

    @Override
    public void commit(Manifest root) {
    }

    /** The blobs that did not verify, in the order they were found. */
    public List<VerificationException> failures() {
        return List.copyOf(failures);
    }
}
