package dev.ferry.transfer;

import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import dev.ferry.registry.BlobRange;
import dev.ferry.registry.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/** A registry repository as an image source. */
public record RegistrySource(RegistryClient client) implements ImageSource {

    @Override
    public Manifest manifest(String reference) throws IOException {
        return client.manifest(reference);
    }

    @Override
    public InputStream openBlob(Descriptor descriptor, Consumer<Runnable> onAbort) throws IOException {
        return client.openBlob(descriptor, onAbort);
    }

    @Override
    public BlobRange openBlobFrom(Descriptor descriptor, long offset, Consumer<Runnable> onAbort) throws IOException {
        return client.openBlobFrom(descriptor, offset, onAbort);
    }

    @Override
    public int resumeAttempts() {
        return client.resumeAttempts();
    }

    @Override
    public byte[] blobBytes(Descriptor descriptor, int maxBytes) throws IOException {
        return client.blobBytes(descriptor, maxBytes);
    }

    @Override
    public String name() {
        return client.repository().name();
    }
}
