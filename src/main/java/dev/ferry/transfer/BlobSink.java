package dev.ferry.transfer;

import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Where one blob's bytes go at a destination, across the attempts at moving it. A sink verifies
 * the blob's size and digest itself (and its diff_id where it decompresses anyway): the source's
 * ranged reads are not trusted.
 */
public interface BlobSink extends AutoCloseable {

    /**
     * One attempt: reads the blob (or its rest) from the source and hands it on.
     *
     * @param progress receives the byte counts of this attempt, from the blob's first byte
     * @param onAbort receives a way to abort the attempt's calls from another thread
     * @throws IOException a failure that another attempt would not change
     */
    Attempt attempt(ImageSource source, LongConsumer progress, Consumer<Runnable> onAbort, BooleanSupplier cancelled)
            throws IOException;

    /** What arrived is kept for a later run to resume from (the transfer stopped, not the blob failed). */
    default void keep() throws IOException {
    }

    @Override
    void close() throws IOException;
}
