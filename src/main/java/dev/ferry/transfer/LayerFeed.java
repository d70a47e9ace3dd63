package dev.ferry.transfer;

import dev.ferry.compress.HashedTar;
import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
import dev.ferry.digest.VerifyingInputStream;
import dev.ferry.manifest.Descriptor;
import dev.ferry.unpack.LayerApplier;
import dev.ferry.unpack.LayerReport;
import dev.ferry.unpack.LayerStreams;
import dev.ferry.unpack.UnpackException;
import java.io.IOException;
import java.io.InputStream;

/**
 * One layer from its source into the tree, in one pass (a body that breaks off is resumed after
 * the bytes read, see {@link ResumingBlobStream}): the blob's size and digest are checked as it
 * streams, its tar is hashed for the diff_id while the applier reads it, and after the tar's
 * end the rest of the uncompressed stream (which must be zero padding) and the rest of the blob
 * are read to their ends, so that neither check stops short of EOF.
 */
final class LayerFeed {

    private LayerFeed() {
    }

    static LayerReport apply(ImageSource source, Descriptor layer, Digest diffId, LayerApplier applier)
            throws IOException {
        String subject = "layer " + layer.digest();
        ResumingBlobStream sourced = new ResumingBlobStream(source, layer);
        try (VerifyingInputStream blob = new VerifyingInputStream(sourced, subject, layer.digest(), layer.size())) {
            LayerReport report;
            HashedTar tar;
            try {
                tar = new HashedTar(LayerStreams.uncompressed(blob), diffId.newHasher());
                report = applier.apply(tar, layer.digest().toString());
                tar.drainPadding(subject);
            } catch (VerificationException e) {
                throw e;
            } catch (IOException e) {
                if (sourced.failed()) {
                    throw e; // the network's or the source's failure, not the layer's
                }
                // A blob that is not the one named explains a broken tar best: its digest is checked first.
                drain(blob);
                throw e instanceof UnpackException u ? u
                        : new VerificationException(subject, "is not a readable tar: " + e.getMessage());
            }
            drain(blob);
            Digest actual = tar.digest();
            if (!actual.equals(diffId)) {
                throw new VerificationException(subject, "diff_id mismatch: the config says " + diffId
                        + ", the uncompressed layer is " + actual);
            }
            return report;
        }
    }

    /** Reads the blob to its end, where the verifying stream checks its size and digest. */
    private static void drain(InputStream blob) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (blob.read(buffer) >= 0) {
            // the bytes were counted and hashed
        }
    }
}
