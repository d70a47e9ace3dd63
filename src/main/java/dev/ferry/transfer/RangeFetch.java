package dev.ferry.transfer;

import dev.ferry.layout.BlobParts;
import dev.ferry.manifest.Descriptor;
import dev.ferry.registry.BlobRange;
import dev.ferry.registry.RegistryClient;
import dev.ferry.registry.RegistryUnreachableException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The rest of one blob fetched in ranges over several connections, each written at its offset
 * in the partial file. Ranges are handed out in order and at most a window of them ahead of the
 * first incomplete one, so a slow range holds back little; memory is one buffer per connection.
 * The first connection asks alone until the registry answered a range with exactly its bytes, so
 * a registry that ignores {@code Range} sends one whole blob, not one per connection. A range
 * whose body breaks off is asked for again from where it broke, as often as requests are retried
 * (over all ranges of the attempt); the first failure that stays stops the others.
 */
final class RangeFetch implements BlobParts {

    private static final int BUFFER = 256 * 1024;
    private static final long STOP_WAIT_MILLIS = 30_000;

    private final RegistryClient client;
    private final Descriptor blob;
    private final RangeOptions options;
    private final Semaphore connections;
    private final BooleanSupplier cancelled;
    private final Runnable onRefused;
    private final AbortableCalls calls = new AbortableCalls();
    private final List<Thread> workers = new ArrayList<>();
    private final Object lock = new Object();
    // guarded by lock
    private int retriesLeft;
    private RangeMap map;
    private boolean confirmed;
    private boolean stopped;
    private IOException failure;
    private Target target;
    /** With a reader that frees what it read ({@link ReadAhead}): how far ahead of it ranges may be written. */
    private long limit = Long.MAX_VALUE;

    RangeFetch(RegistryClient client, Descriptor blob, RangeOptions options, Semaphore connections, int retries,
            Consumer<Runnable> onAbort, BooleanSupplier cancelled, Runnable onRefused) {
        this.client = client;
        this.blob = blob;
        this.options = options;
        this.connections = connections;
        this.retriesLeft = retries;
        this.cancelled = cancelled;
        this.onRefused = onRefused;
        onAbort.accept(this::abort);
    }

    /** Ranges are fetched only up to {@code bytes} past what the reader consumed (see {@link #consumed}). */
    void bound(long bytes) {
        synchronized (lock) {
            limit = bytes;
        }
    }

    /** The reader is done with every byte before {@code position}: their space may be written again. */
    void consumed(long position) {
        synchronized (lock) {
            if (map != null && map.consumed(position)) {
                lock.notifyAll();
            }
        }
    }

    @Override
    public void start(long from, Target target) {
        int count;
        synchronized (lock) {
            this.target = target;
            this.map = new RangeMap(from, blob.size(), options.rangeSize(blob.size() - from), options.window(), limit);
            count = Math.min(options.connectionsPerLayer(), map.ranges());
        }
        for (int i = 0; i < count; i++) {
            boolean first = i == 0;
            workers.add(Thread.ofPlatform().daemon().name("ferry-range").start(() -> run(first)));
        }
    }

    @Override
    public long awaitFilled(long position) throws IOException {
        synchronized (lock) {
            while (map.frontier() <= position) {
                if (failure != null) {
                    throw failure;
                }
                if (stopped || cancelled.getAsBoolean()) {
                    throw new InterruptedIOException("cancelled: another blob of this transfer failed");
                }
                try {
                    lock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted");
                }
            }
            return map.frontier();
        }
    }

    @Override
    public void close() {
        abort();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        for (Thread worker : workers) {
            try {
                worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops handing out ranges and cancels the requests under way. */
    private void abort() {
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
        calls.abortAll();
    }

    private void fail(IOException e) {
        synchronized (lock) {
            if (stopped) {
                return; // stopped already: this is a consequence, not the cause
            }
            failure = e;
        }
        abort();
    }

    /** One connection: takes ranges while there are any; the first is the blob's own, the others the budget's. */
    private void run(boolean first) {
        byte[] buffer = new byte[BUFFER];
        try {
            while (awaitRoom(first)) {
                boolean permit = !first && acquire();
                if (!first && !permit) {
                    return;
                }
                try {
                    int range = claim();
                    if (range == -1) {
                        return;
                    }
                    if (range >= 0) {
                        fetch(range, buffer);
                    }
                } finally {
                    if (permit) {
                        connections.release();
                    }
                }
            }
        } catch (IOException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new IOException(e));
        }
    }

    /** Waits until a range may be taken; false when none is left or the fetch stopped. */
    private boolean awaitRoom(boolean first) {
        synchronized (lock) {
            while (!stopped && !map.exhausted() && (!(first || confirmed) || map.full())) {
                try {
                    lock.wait(100);
                } catch (InterruptedException e) {
                    return false;
                }
            }
            return !stopped && !map.exhausted();
        }
    }

    private boolean acquire() {
        try {
            while (!connections.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                synchronized (lock) {
                    if (stopped) {
                        return false;
                    }
                }
            }
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** The next range to fetch; -1 when none is left, -2 when the window is full for now. */
    private int claim() {
        synchronized (lock) {
            if (stopped || map.exhausted()) {
                return -1;
            }
            return map.full() ? -2 : map.claim();
        }
    }

    /** Fetches one range, asking again from where its body broke off. */
    private void fetch(int range, byte[] buffer) throws IOException {
        long end;
        synchronized (lock) {
            end = map.end(range);
        }
        while (true) {
            long position;
            synchronized (lock) {
                if (stopped) {
                    return;
                }
                position = map.position(range);
            }
            if (position >= end) {
                return;
            }
            List<Runnable> mine = new ArrayList<>();
            try {
                BlobRange part = client.openBlobPart(blob, position, end, abort -> {
                    mine.add(abort);
                    calls.add(abort);
                });
                if (part == null) {
                    onRefused.run();
                    throw new RangesRefusedException("the registry did not answer a range request for blob "
                            + blob.digest() + " with the bytes asked for");
                }
                confirm();
                IOException cut;
                try (InputStream body = part.body()) {
                    cut = copy(body, range, position, end, buffer);
                }
                if (cut == null) {
                    return;
                }
                synchronized (lock) {
                    if (stopped || retriesLeft-- <= 0) {
                        throw cut;
                    }
                }
            } finally {
                calls.removeAll(mine);
            }
        }
    }

    private void confirm() {
        synchronized (lock) {
            confirmed = true;
            lock.notifyAll();
        }
    }

    /** Copies a range's body, a full buffer at a time ({@link Filled}); the failure if it broke off, else null. */
    private IOException copy(InputStream body, int range, long position, long end, byte[] buffer) throws IOException {
        while (position < end) {
            Filled fill = Filled.paced(body, buffer, (int) Math.min(buffer.length, end - position));
            if (fill.bytes() > 0) {
                target.write(position, ByteBuffer.wrap(buffer, 0, fill.bytes()));
                position += fill.bytes();
                advance(range, fill.bytes());
            }
            if (fill.failure() != null) {
                return fill.failure();
            }
            if (fill.ended()) {
                return new RegistryUnreachableException(client.repository().registry().name(), "reading blob "
                        + blob.digest(), new EOFException("the range ended " + (end - position) + " bytes early"));
            }
        }
        return null;
    }

    private void advance(int range, int n) throws IOException {
        long complete;
        synchronized (lock) {
            complete = map.advance(range, n);
            lock.notifyAll();
        }
        if (complete >= 0) {
            target.filledTo(complete);
        }
    }
}
