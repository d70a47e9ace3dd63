package dev.ferry.transfer;

import dev.ferry.digest.Digest;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import java.io.Closeable;
import java.io.IOException;

/**
 * Where an image goes: a registry repository, a layout, an archive, or nowhere (verification).
 * The engine asks whether a blob can be reused, else moves it through a {@link BlobSink}; then
 * it puts the manifests as their exact bytes, children first, and commits the root.
 */
public interface ImageDestination {

    /** For messages and summaries. */
    String name();

    /** Work that needs nothing from the source (a ping, a token), done while the source is read. */
    default void prepare() {
    }

    /**
     * Taken before the first blob is looked for and closed once the root is committed or the
     * transfer failed: a layout keeps its collector away meanwhile, since until index.json names
     * the image its blobs, new or found present, are reachable from nothing.
     */
    default Closeable hold() throws IOException {
        return () -> {
        };
    }

    /** True when the destination decompresses layers anyway, so it checks their diff_ids. */
    boolean checksDiffIds();

    /** {@link BlobOutcome#PRESENT} or {@link BlobOutcome#MOUNTED} when no bytes need to move, else null. */
    BlobOutcome tryReuse(Descriptor blob) throws IOException;

    /** @param diffId the diff_id to check, or null */
    BlobSink sink(Descriptor blob, Digest diffId) throws IOException;

    /** Puts a blob held in memory (a config), hashing it again. */
    void putBlob(Descriptor blob, byte[] bytes) throws IOException;

    /** Puts a manifest an index names, as its exact bytes. */
    void putManifest(Manifest manifest) throws IOException;

    /** Puts the manifest the destination will point at, and makes the image visible under its name. */
    void commit(Manifest root) throws IOException;

    /** How many times a blob whose move failed is started again from its beginning. */
    default int restartAttempts() {
        return 0;
    }

    /** Says that the move of {@code blob} starts again, for the retry count and the debug log. */
    default void restarting(Descriptor blob, int attempt, Throwable cause) {
    }
}
