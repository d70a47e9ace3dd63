package dev.ferry.transfer;

import java.io.IOException;
import java.io.InputStream;

/**
 * What one fill of a buffer from a body got: a capped connection delivers a few KiB per read, so
 * a reader that fills the buffer first touches what lies behind it once per buffer, not per packet.
 *
 * @param bytes how many bytes the buffer holds from its start
 * @param failure why the body stopped before the buffer was full, or null
 * @param ended the body ended before the buffer was full (no failure thrown)
 */
record Filled(int bytes, IOException failure, boolean ended) {

    /** Reads into {@code buffer[0, want)} until it is full, the body ends, or a read fails. */
    static Filled from(InputStream body, byte[] buffer, int want) {
        int filled = 0;
        while (filled < want) {
            int n;
            try {
                n = body.read(buffer, filled, want - filled);
            } catch (IOException e) {
                return new Filled(filled, e, false);
            }
            if (n < 0) {
                return new Filled(filled, null, true);
            }
            filled += n;
        }
        return new Filled(filled, null, false);
    }
}
