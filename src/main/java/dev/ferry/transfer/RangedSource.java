package dev.ferry.transfer;

import dev.ferry.manifest.Descriptor;
import dev.ferry.registry.BlobRange;
import dev.ferry.registry.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A registry source as the blob moves of one transfer see it: they share one budget of
 * connections to the registry ({@link RangeOptions#connections(int)}). Each blob moved holds one
 * connection, its first, and waits while all are taken; the large blobs a destination fetches in
 * ranges over several connections ({@link RangeFetch}) take for their further ranges what the
 * blobs leave free, so that parallel blobs times ranges per blob never exceed the budget, and the
 * last large blob gets the connections the finished ones gave back.
 */
final class RangedSource extends ForwardingSource {

    private final RegistrySource source;
    private final RangeOptions options;
    /** Fair: a blob waiting for its first connection is not overtaken by ranges asking again. */
    private final Semaphore connections;
    private volatile boolean rangesRefused;
    /** Set when a blob moved to ranges: the link, not ferry, is what blobs from this source wait on. */
    private volatile boolean linkBound;

    private RangedSource(RegistrySource source, RangeOptions options, int parallel) {
        super(source);
        this.source = source;
        this.options = options;
        this.connections = new Semaphore(options.connections(parallel), true);
    }

    /** The source as blob moves see it, {@code parallel} at once: budgeted when it is a registry. */
    static ImageSource of(ImageSource source, RangeOptions options, int parallel) {
        return source instanceof RegistrySource registry ? new RangedSource(registry, options, parallel) : source;
    }

    /** One blob's move. */
    interface Move<T> {
        T run() throws IOException;
    }

    /**
     * Runs a blob's move holding one of the registry's connections; waits while all are taken,
     * and gives up when the transfer is cancelled.
     */
    <T> T holding(BooleanSupplier cancelled, Move<T> move) throws IOException {
        try {
            while (!connections.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (cancelled.getAsBoolean()) {
                    throw new InterruptedIOException("cancelled: another blob of this transfer failed");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        try {
            return move.run();
        } finally {
            connections.release();
        }
    }

    /**
     * True when this blob is fetched in ranges from its start: a number of connections per layer
     * was asked for, or with {@link RangeOptions#AUTO} an earlier blob of this transfer found the
     * link to be what it waited on, so later ones need not find it out again.
     */
    boolean splits(Descriptor blob) {
        return options.splits(blob.size()) || linkBound && !rangesRefused && options.adapts(blob.size());
    }

    /** The ranged fetch of one blob's rest, for one attempt. */
    RangeFetch fetch(Descriptor blob, int retries, Consumer<Runnable> onAbort, BooleanSupplier cancelled) {
        RegistryClient client = source.client();
        // A refusal seen here stops moves to ranges for the rest of the transfer.
        return new RangeFetch(client, blob, options, connections, retries, onAbort, cancelled,
                () -> rangesRefused = true);
    }

    /**
     * The whole blob as a stream, its ranges fetched ahead over several connections into a
     * bounded ring (for an upload, which sends in order).
     */
    InputStream readAhead(Descriptor blob, int retries, Consumer<Runnable> onAbort, BooleanSupplier cancelled)
            throws IOException {
        return readAhead(blob, 0, retries, onAbort, cancelled);
    }

    private InputStream readAhead(Descriptor blob, long from, int retries, Consumer<Runnable> onAbort,
            BooleanSupplier cancelled) throws IOException {
        RangeFetch fetch = fetch(blob, retries, onAbort, cancelled);
        // A multiple of the range size, so that no range straddles the ring's end, and at least one range
        return ReadAhead.start(fetch, options.window() * options.rangeSize(blob.size() - from), from, blob.size());
    }

    /**
     * A large blob's body starts on one connection and, with {@link RangeOptions#AUTO} ranges per
     * layer, moves to ranges once that connection is seen to be the bottleneck. Not after a
     * registry of this transfer answered a range wrongly ({@link #fetch} notes it): the rest of
     * its blobs stay on one connection each, so a refusal costs one restart, not one per blob and
     * attempt.
     */
    @Override
    public BlobRange openBlobFrom(Descriptor blob, long offset, Consumer<Runnable> onAbort) throws IOException {
        return adaptive(blob, offset, onAbort,
                from -> readAhead(blob, from, resumeAttempts(), onAbort, () -> false));
    }

    /**
     * As {@link #openBlobFrom}, for a destination that writes ranges at their offsets itself
     * (a layout): the body ends with {@link MovedToRanges} where it gave up its connection, and the
     * destination's next attempt fetches the rest in ranges ({@link #splits} says so by then).
     */
    BlobRange openBlobOrMove(Descriptor blob, long offset, Consumer<Runnable> onAbort) throws IOException {
        return adaptive(blob, offset, onAbort, from -> {
            throw new MovedToRanges(from);
        });
    }

    private BlobRange adaptive(Descriptor blob, long offset, Consumer<Runnable> onAbort, SwitchingBody.Ranges ranges)
            throws IOException {
        BlobRange range = super.openBlobFrom(blob, offset, onAbort);
        long minRemaining = 2 * options.rangeSize(blob.size() - range.start());
        if (!options.adapts(blob.size()) || rangesRefused || blob.size() - range.start() < minRemaining) {
            return range;
        }
        SwitchingBody body = new SwitchingBody(range.body(), range.start(), blob.size(), new LinkProbe(minRemaining),
                System::nanoTime, from -> {
                    linkBound = true;
                    return ranges.from(from);
                });
        return new BlobRange(range.start(), body);
    }
}
