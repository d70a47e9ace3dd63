package dev.ferry.history;

import dev.ferry.compress.Compression;
import dev.ferry.compress.HashedTar;
import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * What Docker shows as a layer's SIZE: the sizes of the entries of its tar added up (as Docker's
 * layer store counts them when it applies the layer). The layer streams once, nothing is written:
 * the stream it comes in verifies its digest, and the decompressed bytes, to their very end, are
 * checked against the diff_id here.
 */
public final class LayerFileSizes {

    /** A tar of more entries than this is no layer ferry sizes. */
    static final int MAX_ENTRIES = 10_000_000;

    private LayerFileSizes() {
    }

    /** @param blob the layer as it is stored, as a stream that verifies its own digest at its end */
    public static long of(InputStream blob, Digest diffId, String subject) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(blob, 1 << 16);
        buffered.mark(4);
        byte[] head = buffered.readNBytes(4);
        buffered.reset();
        HashedTar hashed = new HashedTar(Compression.detect(head, head.length).open(buffered), diffId.newHasher());
        long total = 0;
        int count = 0;
        TarArchiveInputStream tar = new TarArchiveInputStream(hashed);
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            if (++count > MAX_ENTRIES) {
                throw new VerificationException(subject, "it holds more than " + MAX_ENTRIES + " entries");
            }
            total += entry.isFile() && !entry.isLink() ? entry.getSize() : 0;
        }
        // the rest of the stream counts too: the diff_id covers bytes after the end-of-archive marker
        hashed.drain();
        byte[] rest = new byte[1 << 16];
        while (buffered.read(rest) >= 0) {
            // the digest is checked when the stored stream ends
        }
        Digest actual = hashed.digest();
        if (!actual.equals(diffId)) {
            throw VerificationException.digestMismatch(subject + " (diff_id)", diffId, actual);
        }
        return total;
    }
}
