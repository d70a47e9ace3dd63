package dev.ferry.sync;

import dev.ferry.layout.OciLayout;
import dev.ferry.transfer.TransferResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One round of a sync. step: plan (tag lists); step: decide every image with HEADs, in parallel;
 * step: size the changed ones from their manifests and copy them largest first across the whole
 * plan, each failure reported and the others going on; step: prune the layout targets that ask.
 */
final class Round {

    private final Syncer syncer;
    private final long number;
    private final BooleanSupplier stopping;
    private final AtomicInteger upToDate = new AtomicInteger();
    private final AtomicInteger copied = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    Round(Syncer syncer, long number, BooleanSupplier stopping) {
        this.syncer = syncer;
        this.number = number;
        this.stopping = stopping;
    }

    RoundReport run(Consumer<ImageReport> out) {
        long start = System.nanoTime();
        java.time.Instant started = java.time.Instant.now();
        Map<String, Map<String, Long>> before = syncer.traffic().byRegistry();
        long pausesBefore = syncer.traffic().pauses();
        Planner.Plan plan = syncer.plan();
        Consumer<ImageReport> report = r -> {
            switch (r.status()) {
                case ImageReport.UP_TO_DATE -> upToDate.incrementAndGet();
                case ImageReport.COPIED -> copied.incrementAndGet();
                default -> failed.incrementAndGet();
            }
            bytes.addAndGet(r.bytes());
            synchronized (out) {
                out.accept(r);
            }
        };
        plan.failures().forEach(report);
        // HEADs are small: the decisions use as many workers as the budget lets requests wait for
        // answers; copies use `parallel`, each moving several blobs at once
        SyncSettings settings = syncer.config().settings();
        ExecutorService deciders = pool("ferry-decide-", Math.max(settings.parallel(), settings.concurrency()));
        ExecutorService copiers = pool("ferry-sync-", settings.parallel());
        try {
            // step: decide with HEADs only
            List<ImageJob> changed = new ArrayList<>(all(deciders, plan.items().stream()
                    .map(i -> new ImageJob(syncer, i)).toList(), job -> {
                        if (job.upToDate()) {
                            report.accept(report(job, ImageReport.UP_TO_DATE, 0, null));
                            return null;
                        }
                        job.size();
                        return job;
                    }, report));
            // step: copy the changed images, largest first across the plan
            changed.sort(Comparator.comparingLong((ImageJob j) -> j.size).reversed());
            SharedBlobs shared = new SharedBlobs();
            all(copiers, changed, job -> {
                TransferResult result = job.copy(shared);
                report.accept(report(job, ImageReport.COPIED, result.bytesDownloaded(), null));
                return null;
            }, report);
        } finally {
            deciders.shutdownNow();
            copiers.shutdownNow();
        }
        prune(plan, out, started);
        return new RoundReport(number, upToDate.get(), copied.get(), failed.get(), bytes.get(),
                minus(syncer.traffic().byRegistry(), before), syncer.traffic().pauses() - pausesBefore,
                (System.nanoTime() - start) / 1e9);
    }

    private static ExecutorService pool(String prefix, int threads) {
        return Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name(prefix, 0).factory());
    }

    interface Step {
        ImageJob apply(ImageJob job) throws Exception;
    }

    /** Runs a step over every job on the pool; a job that fails is reported and left out, the others go on. */
    private List<ImageJob> all(ExecutorService pool, List<ImageJob> jobs, Step step, Consumer<ImageReport> report) {
        List<Future<ImageJob>> futures = new ArrayList<>();
        for (ImageJob job : jobs) {
            futures.add(pool.submit(() -> {
                if (stopping.getAsBoolean()) {
                    return null;
                }
                try {
                    return step.apply(job);
                } catch (Exception | LinkageError e) {
                    report.accept(report(job, ImageReport.FAILED, 0, e));
                    return null;
                }
            }));
        }
        List<ImageJob> kept = new ArrayList<>();
        for (Future<ImageJob> f : futures) {
            try {
                ImageJob job = f.get();
                if (job != null) {
                    kept.add(job);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                // reported inside the task
            }
        }
        return kept;
    }

    private static ImageReport report(ImageJob job, String status, long bytes, Throwable error) {
        String message = error == null ? null : Printable.of(dev.ferry.location.ArchiveWork.describe(
                error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName()));
        return new ImageReport(status, job.item.source().toString(), job.item.targetName(),
                job.sourceDigest == null ? null : job.sourceDigest.toString(),
                job.targetDigest == null ? null : job.targetDigest.toString(), bytes, job.tally.snapshot(), message);
    }

    /**
     * Removes from each pruning layout the names of its rule that the source no longer lists, then
     * the blobs that nothing in the layout reaches any more (left by those names, or by tags that
     * moved); blobs written since the round began are kept, and a layout another writer is filling
     * is collected in a later round.
     */
    private void prune(Planner.Plan plan, Consumer<ImageReport> out, java.time.Instant started) {
        Map<java.nio.file.Path, Set<String>> keep = new HashMap<>();
        Map<java.nio.file.Path, Set<String>> prefixes = new HashMap<>();
        for (Map.Entry<SyncRule, List<String>> e : plan.listed().entrySet()) {
            if (e.getKey().target() instanceof Target.Layout layout && layout.prune()) {
                prefixes.computeIfAbsent(layout.dir(), d -> new HashSet<>()).add(e.getKey().source().path() + ":");
                for (String tag : e.getValue()) {
                    keep.computeIfAbsent(layout.dir(), d -> new HashSet<>()).add(Planner.item(e.getKey(), tag).layoutName());
                }
            }
        }
        for (Map.Entry<java.nio.file.Path, Set<String>> e : prefixes.entrySet()) {
            Set<String> kept = keep.getOrDefault(e.getKey(), Set.of());
            try {
                OciLayout layout = OciLayout.open(e.getKey());
                layout.untag(name -> !kept.contains(name) && e.getValue().stream().anyMatch(name::startsWith));
                if (!stopping.getAsBoolean()) {
                    layout.collectGarbage(started);
                }
            } catch (Exception x) {
                failed.incrementAndGet();
                out.accept(new ImageReport(ImageReport.FAILED, "prune", "oci:" + e.getKey(), null, null, 0, Map.of(),
                        Printable.of(x.getMessage())));
            }
        }
    }

    private static Map<String, Map<String, Long>> minus(Map<String, Map<String, Long>> after,
            Map<String, Map<String, Long>> before) {
        Map<String, Map<String, Long>> out = new java.util.TreeMap<>();
        after.forEach((registry, methods) -> {
            Map<String, Long> was = before.getOrDefault(registry, Map.of());
            Map<String, Long> diff = new java.util.TreeMap<>();
            methods.forEach((m, n) -> {
                long d = n - was.getOrDefault(m, 0L);
                if (d > 0) {
                    diff.put(m, d);
                }
            });
            if (!diff.isEmpty()) {
                out.put(registry, diff);
            }
        });
        return out;
    }
}
