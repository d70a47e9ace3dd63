package dev.ferry.transfer;

import dev.ferry.layout.OciLayout;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs layer fetches on a fixed number of threads in the order given. The first failure stops the
 * others (their partial files are removed) and is the one reported.
 */
final class ParallelFetcher {

    private final ImageSource source;
    private final OciLayout layout;
    private final TransferListener listener;
    private final int parallel;

    ParallelFetcher(ImageSource source, OciLayout layout, TransferListener listener, int parallel) {
        this.source = source;
        this.layout = layout;
        this.listener = listener;
        this.parallel = parallel;
    }

    List<BlobRecord> fetchAll(List<Puller.Job> jobs) throws IOException {
        if (jobs.isEmpty()) {
            return List.of();
        }
        AtomicBoolean cancelled = new AtomicBoolean();
        // The failure that cancelled the others. A cancelled fetch may fail with an error of its own
        // making (a decompressor wraps the cancellation), and may fail before the one that caused it
        // in the order of the jobs: only the first failure says what went wrong.
        AtomicReference<IOException> cause = new AtomicReference<>();
        LayerPipeline pipeline = new LayerPipeline(source, layout, listener, cancelled);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, jobs.size()),
                Thread.ofPlatform().name("ferry-fetch-", 0).daemon().factory());
        try {
            List<Future<BlobRecord>> futures = new ArrayList<>();
            for (Puller.Job job : jobs) {
                futures.add(pool.submit(() -> {
                    if (cancelled.get()) { // not even a request for a layer that would be thrown away
                        throw new InterruptedIOException("cancelled: another blob of this transfer failed");
                    }
                    try {
                        return pipeline.fetch(job.blob(), job.diffId());
                    } catch (IOException | RuntimeException e) {
                        if (cancelled.compareAndSet(false, true)) { // the others stop at their next read
                            cause.set(asIOException(e));
                        }
                        throw e;
                    }
                }));
            }
            List<BlobRecord> records = new ArrayList<>();
            IOException failure = null;
            for (Future<BlobRecord> future : futures) {
                try {
                    records.add(future.get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = asIOException(e.getCause());
                    }
                }
            }
            if (failure != null) {
                throw cause.get() != null ? cause.get() : failure;
            }
            return records;
        } catch (InterruptedException e) {
            cancelled.set(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    private static IOException asIOException(Throwable t) {
        return t instanceof IOException io ? io : new IOException(t);
    }
}
