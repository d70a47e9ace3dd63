package dev.ferry.transfer;

import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import dev.ferry.registry.BlobRange;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * A source that hands every call to another one; a wrapper extends it and overrides only what it
 * changes, so that a method added to {@link ImageSource} with a default is still forwarded (a
 * wrapper that forgot one would answer with the default, not with its delegate's behaviour).
 */
public abstract class ForwardingSource implements ImageSource {

    private final ImageSource delegate;

    protected ForwardingSource(ImageSource delegate) {
        this.delegate = delegate;
    }

    /** The source every call not overridden goes to. */
    protected final ImageSource delegate() {
        return delegate;
    }

    @Override
    public Manifest manifest(String reference) throws IOException {
        return delegate.manifest(reference);
    }

    @Override
    public Manifest manifest(Descriptor child) throws IOException {
        return delegate.manifest(child);
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
