package dev.ferry.transfer;

import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import dev.ferry.registry.BlobRange;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/** Where an image comes from: a registry repository or a layout (an archive is read as its unpacked layout). */
public interface ImageSource {

    /** A manifest by tag or digest, with its bytes as stored. */
    Manifest manifest(String reference) throws IOException;

    /**
     * A manifest an index names. The descriptor's media type is a hint for sources that store no
     * content type of their own (a layout), for manifests whose JSON leaves {@code mediaType} out.
     */
    default Manifest manifest(Descriptor child) throws IOException {
        return manifest(child.digest().toString());
    }

    /**
     * A blob as a stream that verifies its size and digest on the read that reaches its end.
     *
     * @param onAbort receives a way to abort the transfer from another thread
     */
    InputStream openBlob(Descriptor descriptor, Consumer<Runnable> onAbort) throws IOException;

    /**
     * A blob from byte {@code offset} on, for resuming a transfer that broke off; the answer may
     * start at 0 instead (a source that cannot resume gives the whole blob). Not verified here:
     * every {@link BlobSink} verifies the whole blob's size and digest at its destination's door,
     * over the bytes it held before and these. This default always gives the whole blob.
     */
    default BlobRange openBlobFrom(Descriptor descriptor, long offset, Consumer<Runnable> onAbort) throws IOException {
        return new BlobRange(0, openBlob(descriptor, onAbort));
    }

    /** How many times a transfer that broke off is resumed. */
    default int resumeAttempts() {
        return 0;
    }

    /** A small blob (a config) read whole and verified. */
    byte[] blobBytes(Descriptor descriptor, int maxBytes) throws IOException;

    /** For messages: the repository or layout. */
    String name();
}
