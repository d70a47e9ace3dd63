package dev.ferry.sync;

import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import dev.ferry.registry.BlobRange;
import dev.ferry.transfer.ImageSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A source whose manifests are fetched once: the round reads them to size an image before it is
 * scheduled, and the engine then reads the same ones without another GET.
 */
final class CachingSource implements ImageSource {

    private final ImageSource delegate;
    private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();

    CachingSource(ImageSource delegate) {
        this.delegate = delegate;
    }

    @Override
    public Manifest manifest(String reference) throws IOException {
        Manifest cached = manifests.get(reference);
        if (cached == null) {
            cached = delegate.manifest(reference);
            manifests.put(reference, cached);
        }
        return cached;
    }

    @Override
    public Manifest manifest(Descriptor child) throws IOException {
        String key = child.digest().toString();
        Manifest cached = manifests.get(key);
        if (cached == null) {
            cached = delegate.manifest(child);
            manifests.put(key, cached);
        }
        return cached;
    }

    @Override
    public InputStream openBlob(Descriptor descriptor, Consumer<Runnable> onAbort) throws IOException {
        return delegate.openBlob(descriptor, onAbort);
    }

    @Override
    public BlobRange openBlobFrom(Descriptor descriptor, long offset, Consumer<Runnable> onAbort) throws IOException {
        return delegate.openBlobFrom(descriptor, offset, onAbort);
    }

    @Override
    public int resumeAttempts() {
        return delegate.resumeAttempts();
    }

    @Override
    public byte[] blobBytes(Descriptor descriptor, int maxBytes) throws IOException {
        return delegate.blobBytes(descriptor, maxBytes);
    }

    @Override
    public String name() {
        return delegate.name();
    }
}
