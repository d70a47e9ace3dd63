package dev.ferry.sync;

import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import dev.ferry.transfer.ForwardingSource;
import dev.ferry.transfer.ImageSource;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A source whose manifests are fetched once: the round reads them to size an image before it is
 * scheduled, and the engine then reads the same ones without another GET.
 */
final class CachingSource extends ForwardingSource {

    private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();

    CachingSource(ImageSource delegate) {
        super(delegate);
    }

    @Override
    public Manifest manifest(String reference) throws IOException {
        Manifest cached = manifests.get(reference);
        if (cached == null) {
            cached = delegate().manifest(reference);
            manifests.put(reference, cached);
        }
        return cached;
    }

    @Override
    public Manifest manifest(Descriptor child) throws IOException {
        String key = child.digest().toString();
        Manifest cached = manifests.get(key);
        if (cached == null) {
            cached = delegate().manifest(child);
            manifests.put(key, cached);
        }
        return cached;
    }
}
