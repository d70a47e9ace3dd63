package dev.ferry.transfer;

import dev.ferry.digest.Digest;
import dev.ferry.manifest.Descriptor;

/**
 * One blob of a transfer: what it is, its diff_id when it is a layer, what happened to it, how many
 * of its bytes crossed the network (less than its size when a partial file was resumed) and how
 * often its body was resumed after a cut.
 */
public record BlobRecord(Descriptor descriptor, Digest diffId, BlobOutcome outcome, long transferred, int resumes) {

    /** A blob that moved no bytes: present, mounted or foreign-skipped. */
    public BlobRecord(Descriptor descriptor, Digest diffId, BlobOutcome outcome) {
        this(descriptor, diffId, outcome, 0, 0);
    }
}
