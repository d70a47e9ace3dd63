package dev.ferry.transfer;

import dev.ferry.compress.Compression;
import dev.ferry.digest.Digest;
import dev.ferry.digest.Hasher;
import dev.ferry.digest.VerificationException;
import dev.ferry.layout.BlobWriter;
import dev.ferry.layout.OciLayout;
import dev.ferry.manifest.Descriptor;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fetches one blob into a layout in a single pass: what arrives from the socket is hashed for the
 * distribution digest, written to a partial file, and, for a layer, decompressed and hashed again
 * for its diff_id. The blob gets its digest name only when both digests and the size matched.
 */
final class LayerPipeline {

    static final int BUFFER = 1024 * 1024;

    private final ImageSource source;
    private final OciLayout layout;
    private final TransferListener listener;
    private final Cancellation cancellation;

    LayerPipeline(ImageSource source, OciLayout layout, TransferListener listener, Cancellation cancellation) {
        this.source = source;
        this.layout = layout;
        this.listener = listener;
        this.cancellation = cancellation;
    }

    /**
     * @param diffId the content digest the config promises for this layer, or null when the blob
     *     is not a layer of an image config (artifacts): then only the distribution digest counts
     */
    BlobRecord fetch(Descriptor blob, Digest diffId) throws IOException {
        listener.started(blob);
        List<Runnable> aborts = new ArrayList<>();
        // step: open the source; its stream checks size and distribution digest when it reaches the end
        try (InputStream verified = source.openBlob(blob, abort -> {
                 aborts.add(abort);
                 cancellation.register(abort);
             });
             BlobWriter writer = layout.newBlob(blob.digest())) {
            // step: every byte read goes to the partial file and to the progress display
            TeeInputStream tee = new TeeInputStream(verified, writer.stream(),
                    n -> listener.progressed(blob, n), cancellation);
            // step: decompress in the same pass and hash the tar for the content digest
            if (diffId != null) {
                Digest actual = contentDigest(blob, tee, diffId);
                if (!actual.equals(diffId)) {
                    throw new VerificationException("layer " + blob.digest(), "diff_id mismatch: the config says "
                            + diffId + ", the uncompressed layer is " + actual);
                }
            }
            // step: read to the end, so the distribution digest and size are checked (trailing bytes count)
            tee.drain();
            // step: only a verified blob gets its digest name
            writer.commit();
        } finally {
            aborts.forEach(cancellation::unregister);
        }
        BlobRecord record = new BlobRecord(blob, diffId, BlobOutcome.DOWNLOADED);
        listener.finished(record);
        return record;
    }

    private static Digest contentDigest(Descriptor blob, TeeInputStream tee, Digest diffId) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(tee, 64 * 1024);
        buffered.mark(4);
        byte[] head = buffered.readNBytes(4);
        buffered.reset();
        Compression compression = Compression.detect(head, head.length);
        Hasher tarHash = diffId.newHasher();
        byte[] buffer = new byte[BUFFER];
        // The decompressor must not close the network stream: it is drained afterwards.
        InputStream unclosable = new FilterInputStream(buffered) {
            @Override
            public void close() {
            }
        };
        try (InputStream tar = compression.open(unclosable)) {
            int n;
            while ((n = tar.read(buffer)) >= 0) {
                tarHash.update(buffer, 0, n);
            }
        } catch (IOException e) {
            if (tee.isSourceFailure(e)) {
                throw e;
            }
            throw new VerificationException("layer " + blob.digest(), "cannot decompress it as "
                    + compression.name().toLowerCase(Locale.ROOT) + ": " + e.getMessage());
        }
        // What the decompressor left unread is drained from the tee by the caller: the buffered
        // bytes have passed through the tee already.
        return tarHash.digest();
    }
}
