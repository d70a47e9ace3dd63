package dev.ferry.transfer;

import java.io.IOException;

/**
 * The registry, or the storage it redirected to, did not answer a range request with exactly the
 * bytes asked for: the blob is fetched in one stream from what is complete.
 */
final class RangesRefusedException extends IOException {

    RangesRefusedException(String message) {
        super(message);
    }
}
