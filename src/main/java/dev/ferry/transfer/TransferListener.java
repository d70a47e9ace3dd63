package dev.ferry.transfer;

import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import java.util.List;

/** Progress of a transfer, for progress displays. Called from worker threads. */
public interface TransferListener {

    TransferListener NONE = new TransferListener() { };

    /** The manifest to store was resolved; these blobs will be transferred or reused. */
    default void resolved(Manifest root, List<Descriptor> blobs) {
    }

    default void started(Descriptor blob) {
    }

    /** {@code bytes} more of the blob arrived. */
    default void progressed(Descriptor blob, long bytes) {
    }

    default void finished(BlobRecord record) {
    }

    /** Something the user should know that is not a failure (a skipped foreign layer). */
    default void notice(String message) {
    }
}
