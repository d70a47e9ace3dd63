package dev.ferry.inspect;

import dev.ferry.digest.Digest;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The requests of one inspection after its top manifest: each manifest digest fetched once however
 * often an index names it, a few at a time, and nothing more once one request has failed. The
 * first failure is the one reported; waiting callers get it, queued fetches never start, and
 * running ones are interrupted (a request already on the wire finishes unheeded).
 */
final class Fetches implements AutoCloseable {

    private final InspectedSource source;
    // Platform threads: virtual-thread sockets park in native pollers, which delay JVM exit.
    private final ExecutorService pool;
    private final Map<Digest, Entry> manifests = new ConcurrentHashMap<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** A manifest's fetch: whoever claims it first (a worker, or the caller that needs it now) runs it. */
    private record Entry(AtomicBoolean claimed, CompletableFuture<Manifest> result) {
        Entry() {
            this(new AtomicBoolean(), new CompletableFuture<>());
        }
    }

    Fetches(InspectedSource source, int threads) {
        this.source = source;
        this.pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("ferry-inspect-", 0).factory());
    }

    /** Runs the work on a worker; its failure stops every other fetch. */
    <T> CompletableFuture<T> submit(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                try {
                    result.complete(call(work));
                } catch (Exception e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(stopped());
        }
        return result;
    }

    /** Runs the work on this thread, unless a fetch has failed already; its failure stops the others. */
    <T> T call(Callable<T> work) throws IOException {
        throwIfFailed();
        try {
            return work.call();
        } catch (IOException | RuntimeException e) {
            fail(e);
            throw e;
        } catch (Exception e) {
            fail(e);
            throw new IOException(e);
        }
    }

    /** Starts fetching the manifest an index names on a worker, unless it is fetched already. */
    void prefetch(Descriptor child) {
        Entry fresh = new Entry();
        Entry entry = manifests.putIfAbsent(child.digest(), fresh);
        if (entry == null) {
            submit(() -> run(fresh, child));
        }
    }

    /** The manifest an index names: fetched here when no worker has started on it, else waited for. */
    Manifest manifest(Descriptor child) throws IOException {
        Entry entry = manifests.computeIfAbsent(child.digest(), d -> new Entry());
        run(entry, child);
        return join(entry.result());
    }

    private Void run(Entry entry, Descriptor child) throws IOException {
        if (!entry.claimed().compareAndSet(false, true)) {
            return null;
        }
        try {
            entry.result().complete(call(() -> source.manifest(child)));
        } catch (IOException | RuntimeException e) {
            entry.result().completeExceptionally(e);
            throw e;
        }
        return null;
    }

    /** Waits for a result; after any failure, the first failure instead. */
    <T> T join(CompletableFuture<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException | CancellationException | CompletionException e) {
            throwIfFailed();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(cause);
        }
    }

    private void fail(Exception e) {
        if (failure.compareAndSet(null, e)) {
            pool.shutdownNow();
            // Nobody may wait for a fetch that will now never run.
            manifests.values().forEach(entry -> entry.result().completeExceptionally(stopped()));
        }
    }

    private void throwIfFailed() throws IOException {
        Exception first = failure.get();
        if (first instanceof IOException io) {
            throw io;
        }
        if (first instanceof RuntimeException r) {
            throw r;
        }
        if (first != null) {
            throw new IOException(first);
        }
    }

    private static IOException stopped() {
        return new InterruptedIOException("stopped: another request of this inspection failed");
    }

    /** Stops what still runs; a request on the wire is not waited for. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
