package dev.ferry.transfer;

/** What happened to one blob of a transfer. */
public enum BlobOutcome {
    /** Fetched and verified now. */
    DOWNLOADED,
    /** Already at the destination: nothing moved. */
    REUSED,
    /** A foreign or non-distributable layer left out on purpose. */
    SKIPPED
}
