package dev.ferry.transfer;

import dev.ferry.digest.Digest;
import dev.ferry.layout.BlobReceiver;
import dev.ferry.layout.OciLayout;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import dev.ferry.registry.BlobRange;
import dev.ferry.registry.RegistryUnreachableException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * An OCI layout as a destination: every blob enters through the layout's verifying door (size,
 * digest and, for a layer, diff_id in one pass), a body that broke off resumes from the partial
 * file, and index.json names the image last.
 */
public class LayoutDestination implements ImageDestination {

    private final OciLayout layout;
    private final String refName;
    private final String imageName;
    private final String name;

    /**
     * @param refName the {@code org.opencontainers.image.ref.name} for index.json, or null for none
     * @param imageName the full image name ({@code io.containerd.image.name}), or null
     * @param name the layout as the user named it, for messages
     */
    public LayoutDestination(OciLayout layout, String refName, String imageName, String name) {
        this.layout = layout;
        this.refName = refName;
        this.imageName = imageName;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean checksDiffIds() {
        return true;
    }

    /** One shared lease for the whole transfer: two pulls into one layout still run side by side. */
    @Override
    public Closeable hold() throws IOException {
        return layout.holdBlobs();
    }

    @Override
    public BlobOutcome tryReuse(Descriptor blob) {
        return layout.hasBlob(blob) ? BlobOutcome.PRESENT : null;
    }

    @Override
    public BlobSink sink(Descriptor blob, Digest diffId) throws IOException {
        return new Receiving(layout.receive(blob, diffId), blob);
    }

    @Override
    public void putBlob(Descriptor blob, byte[] bytes) throws IOException {
        layout.putBlob(blob, bytes);
    }

    @Override
    public void putManifest(Manifest manifest) throws IOException {
        layout.putBlob(manifest.descriptor(), manifest.raw());
    }

    @Override
    public void commit(Manifest root) throws IOException {
        layout.putBlob(root.descriptor(), root.raw());
        layout.tag(root.descriptor(), refName, imageName);
    }

    /**
     * A blob entering a layout (or, with {@link BlobReceiver#discarding}, only checked): a cut body
     * resumes from what the receiver holds; held bytes that do not verify get one attempt from zero.
     */
    static final class Receiving implements BlobSink {
        private final BlobReceiver receiver;
        private final Descriptor blob;
        private boolean restartedFromZero;
        /** Set when the source did not answer ranges as asked: the blob then comes in one stream. */
        private boolean oneStream;

        Receiving(BlobReceiver receiver, Descriptor blob) {
            this.receiver = receiver;
            this.blob = blob;
        }

        @Override
        public Attempt attempt(ImageSource source, LongConsumer progress, Consumer<Runnable> onAbort,
                BooleanSupplier cancelled) throws IOException {
            long held = receiver.held();
            BlobReceiver.Result result;
            if (held < blob.size() && !oneStream && receiver.storing() && source instanceof RangedSource ranged
                    && ranged.splits(blob)) {
                // step: a large blob comes in ranges over several connections, verified in order as they fill
                result = receiver.acceptParts(held, ranged.fetch(blob, source.resumeAttempts(), onAbort, cancelled),
                        progress, cancelled);
            } else {
                // step: ask the source for the rest; it may send the whole blob instead (then start again)
                BlobRange rest = held == blob.size() ? new BlobRange(held, InputStream.nullInputStream())
                        : source instanceof RangedSource ranged && !oneStream && receiver.storing()
                        ? ranged.openBlobOrMove(blob, held, onAbort)
                        : source.openBlobFrom(blob, held, onAbort);
                result = receiver.accept(rest.start(), rest.body(), progress, cancelled);
            }
            return switch (result) {
                case BlobReceiver.Stored stored -> new Attempt.Done(stored.appended());
                // step: ranges not answered as asked: the rest in one stream, from what is complete
                case BlobReceiver.Cut cut when cut.failure() instanceof RangesRefusedException && !oneStream -> {
                    oneStream = true;
                    yield new Attempt.Restart(cut.failure(), false);
                }
                // step: the one connection was the bottleneck: the rest in ranges, after what arrived
                case BlobReceiver.Cut cut when cut.failure() instanceof MovedToRanges ->
                        new Attempt.Restart(cut.failure(), false);
                case BlobReceiver.Cut cut when cut.failure() instanceof RegistryUnreachableException -> 
                        new Attempt.Resume(cut.failure());
                case BlobReceiver.Cut cut -> throw cut.failure();
                // step: a prefix is never trusted over a whole download: once more from zero
                case BlobReceiver.PrefixRejected rejected when !restartedFromZero && !cancelled.getAsBoolean() -> {
                    restartedFromZero = true;
                    yield new Attempt.Restart(rejected.failure(), false);
                }
                case BlobReceiver.PrefixRejected rejected -> throw rejected.failure();
            };
        }

        @Override
        public void keep() throws IOException {
            receiver.keepForResume();
        }

        @Override
        public void close() throws IOException {
            receiver.close();
        }
    }
}
