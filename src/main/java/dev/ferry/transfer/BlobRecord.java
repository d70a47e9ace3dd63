package dev.ferry.transfer;

import dev.ferry.digest.Digest;
import dev.ferry.manifest.Descriptor;

/** One blob of a transfer: what it is, its diff_id when it is a layer, and what happened to it. */
public record BlobRecord(Descriptor descriptor, Digest diffId, BlobOutcome outcome) {
}
