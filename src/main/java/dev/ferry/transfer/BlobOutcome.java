package dev.ferry.transfer;

import java.util.Locale;

/** What happened to one blob of a transfer: the same words for every command and destination. */
public enum BlobOutcome {
    /** Its bytes moved from the source and were verified on the way. */
    FETCHED,
    /** Linked from another repository of the destination registry: no bytes moved. */
    MOUNTED,
    /** The destination had it already: nothing moved. */
    PRESENT,
    /** A foreign / non-distributable layer, left out on purpose (with a notice). */
    FOREIGN_SKIPPED;

    /** The word summaries print: {@code fetched}, {@code mounted}, {@code present}, {@code foreign-skipped}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
