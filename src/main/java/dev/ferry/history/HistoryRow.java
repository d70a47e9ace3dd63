package dev.ferry.history;

import dev.ferry.digest.Digest;
import java.time.Instant;

/**
 * One row of {@code docker history}, newest first, with the layer it made (null for an empty layer).
 *
 * @param id the image ID on the top row, {@code <missing>} on the others, as Docker shows pulled images
 * @param created when the step ran, or null when the config does not say
 * @param size the layer's size: the sum of its file sizes when {@code filesSized}, else its compressed size
 */
public record HistoryRow(String id, Instant created, String createdBy, String comment, boolean emptyLayer,
        long size, boolean filesSized, Digest layer, Digest diffId, Digest chainId) {
}
