package dev.ferry.unpack;

import dev.ferry.compress.Compression;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A layer blob's tar, whatever it is compressed with: gzip (every member of a concatenated
 * stream), zstd (every frame, skippable ones passed over) or none, decided by the magic bytes as
 * {@link Compression} decides them. A zstd stream may also begin with a skippable frame
 * (0x184D2A50 to 0x184D2A5F), which Compression's gzip/zstd magic does not name.
 */
public final class LayerStreams {

    private LayerStreams() {
    }

    /** The uncompressed tar of {@code blob}; closing it closes the blob. */
    public static InputStream uncompressed(InputStream blob) throws IOException {
        BufferedInputStream in = new BufferedInputStream(blob, 64 * 1024);
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        return compression(head, head.length).open(in);
    }

    /** The format these first bytes announce. */
    static Compression compression(byte[] head, int length) {
        if (length >= 4 && (head[0] & 0xf0) == 0x50 && (head[1] & 0xff) == 0x2a && (head[2] & 0xff) == 0x4d
                && (head[3] & 0xff) == 0x18) {
            return Compression.ZSTD;
        }
        return Compression.detect(head, length);
    }
}
