package dev.ferry.transfer;

/** What happened to one blob of a transfer. */
public enum BlobOutcome {
    /** Fetched and verified now. */
    DOWNLOADED,
    /** Already at the destination: nothing moved. */
    REUSED,
    /** Streamed from the source to the destination registry. */
    COPIED,
    /** Linked from another repository of the destination registry: no bytes moved. */
    MOUNTED,
    /**
     * Left out: for a copy, the destination registry has it already; for either, a foreign or
     * non-distributable layer left out on purpose (with a notice).
     */
    SKIPPED
}
