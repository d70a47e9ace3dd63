package dev.ferry.transfer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the blob transfers of one image on a fixed number of threads in the order given. The first
 * failure stops the others (a fetch removes or keeps its partial file, an upload abandons its
 * session) and is the one reported.
 *
 * <p>Stopping is prompt: the first failure cancels the HTTP calls of the others, which aborts a
 * read blocked on a slow connection. (Platform threads, not virtual ones: the pollers behind
 * virtual-thread sockets sit in native code, and the JVM waits 300 ms at exit for such threads.)
 */
final class Parallel {

    /** How long the stopped transfers get to clean up before the failure is reported. */
    private static final long STOP_WAIT_SECONDS = 30;

    private Parallel() {
    }

    /** One blob's transfer. */
    interface Task<J> {
        BlobRecord run(J job) throws IOException;
    }

    /**
     * @param cancellation cancelled on the first failure; the tasks register their calls with it
     */
    static <J> List<BlobRecord> run(List<J> jobs, int parallel, String threadPrefix, Cancellation cancellation,
            Task<J> task) throws IOException {
        if (jobs.isEmpty()) {
            return List.of();
        }
        // The failure that cancelled the others. A cancelled transfer may fail with an error of its own
        // making (a decompressor wraps the cancellation), and may fail before the one that caused it
        // in the order of the jobs: only the first failure says what went wrong.
        AtomicReference<IOException> cause = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, jobs.size()),
                Thread.ofPlatform().daemon().name(threadPrefix, 0).factory());
        CompletionService<BlobRecord> completion = new ExecutorCompletionService<>(pool);
        try {
            List<Future<BlobRecord>> futures = new ArrayList<>();
            for (J job : jobs) {
                futures.add(completion.submit(() -> {
                    cancellation.throwIfCancelled(); // not even a request for a blob that would be thrown away
                    try {
                        return task.run(job);
                    } catch (IOException | RuntimeException e) {
                        IOException failure = asIOException(e);
                        if (cause.compareAndSet(null, failure)) {
                            cancellation.cancel(); // aborts the others' transfers
                        }
                        throw e;
                    }
                }));
            }
            // step: wait for the transfers as they finish, so that the first failure is seen at once
            for (int i = 0; i < futures.size(); i++) {
                try {
                    completion.take().get();
                } catch (ExecutionException e) {
                    cancellation.cancel();
                    stop(pool);
                    throw cause.get() != null ? cause.get() : asIOException(e.getCause());
                }
            }
            List<BlobRecord> records = new ArrayList<>();
            for (Future<BlobRecord> future : futures) {
                records.add(future.resultNow());
            }
            return records;
        } catch (InterruptedException e) {
            cancellation.cancel();
            stop(pool);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Drops the fetches not yet started and interrupts the running ones, which aborts their reads,
     * then waits for them to remove their partial files.
     */
    private static void stop(ExecutorService pool) {
        pool.shutdownNow();
        boolean interrupted = false;
        try {
            pool.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static IOException asIOException(Throwable t) {
        return t instanceof IOException io ? io : new IOException(t);
    }
}
