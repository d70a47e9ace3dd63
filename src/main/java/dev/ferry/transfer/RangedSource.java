package dev.ferry.transfer;

import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import dev.ferry.registry.BlobRange;
import dev.ferry.registry.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A registry source whose large blobs a destination may fetch in ranges over several connections
 * ({@link RangeFetch}). One per transfer: it holds the connections the blobs moved at once share
 * beyond their first one, so the transfer never has more than {@link RangeOptions#perRegistry()}
 * connections open to the source registry (or as many as it moves blobs at once, when that is more).
 */
final class RangedSource implements ImageSource {

    private final RegistrySource source;
    private final RangeOptions options;
    private final Semaphore extra;

    private RangedSource(RegistrySource source, RangeOptions options, int parallel) {
        this.source = source;
        this.options = options;
        this.extra = new Semaphore(Math.max(0, options.perRegistry() - parallel));
    }

    /** The source as blob moves see it: ranged when it is a registry and ranges are on. */
    static ImageSource of(ImageSource source, RangeOptions options, int parallel) {
        return source instanceof RegistrySource registry && options.perLayer() > 1
                ? new RangedSource(registry, options, parallel) : source;
    }

    /** True when this blob is fetched in ranges. */
    boolean splits(Descriptor blob) {
        return blob.size() >= options.threshold() && blob.size() > options.chunkSize();
    }

    /** The ranged fetch of one blob's rest, for one attempt. */
    RangeFetch fetch(Descriptor blob, int retries, Consumer<Runnable> onAbort, BooleanSupplier cancelled) {
        RegistryClient client = source.client();
        return new RangeFetch(client, blob, options, extra, retries, onAbort, cancelled);
    }

    /**
     * The whole blob as a stream, its ranges fetched ahead over several connections into a
     * bounded ring (for an upload, which sends in order).
     */
    InputStream readAhead(Descriptor blob, int retries, Consumer<Runnable> onAbort, BooleanSupplier cancelled)
            throws IOException {
        RangeFetch fetch = fetch(blob, retries, onAbort, cancelled);
        // A multiple of the range size, so that no range straddles the ring's end, and at least one range
        return ReadAhead.start(fetch, options.window() * options.rangeSize(blob.size()),
                blob.size());
    }

    @Override
    public Manifest manifest(String reference) throws IOException {
        return source.manifest(reference);
    }

    @Override
    public Manifest manifest(Descriptor child) throws IOException {
        return source.manifest(child);
    }

    @Override
    public InputStream openBlob(Descriptor descriptor, Consumer<Runnable> onAbort) throws IOException {
        return source.openBlob(descriptor, onAbort);
    }

    @Override
    public BlobRange openBlobFrom(Descriptor descriptor, long offset, Consumer<Runnable> onAbort) throws IOException {
        return source.openBlobFrom(descriptor, offset, onAbort);
    }

    @Override
    public int resumeAttempts() {
        return source.resumeAttempts();
    }

    @Override
    public byte[] blobBytes(Descriptor descriptor, int maxBytes) throws IOException {
        return source.blobBytes(descriptor, maxBytes);
    }

    @Override
    public String name() {
        return source.name();
    }
}
