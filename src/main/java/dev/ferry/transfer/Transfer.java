package dev.ferry.transfer;

import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.ImageConfig;
import dev.ferry.manifest.ImageManifest;
import dev.ferry.manifest.LayerMediaTypes;
import dev.ferry.manifest.Manifest;
import dev.ferry.manifest.MediaType;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one transfer engine, for every source and destination: resolve the manifest (and
 * platform), move every blob the destination cannot reuse in parallel, largest first, then put
 * the manifests as their exact bytes, children before the index, and commit the root last. The
 * destination's digest is then the source's.
 */
public final class Transfer {

    /** Configs are small JSON documents; a larger one is refused rather than held in memory. */
    static final int MAX_CONFIG_BYTES = 64 * 1024 * 1024;

    private final ImageSource source;
    private final ImageDestination destination;
    private final TransferListener listener;

    public Transfer(ImageSource source, ImageDestination destination, TransferListener listener) {
        this.source = source;
        this.destination = destination;
        this.listener = listener;
    }

    /** A blob to move, with the diff_id to check (null when none is checked) and its bytes when read already. */
    private record Job(Descriptor blob, Digest diffId, byte[] bytes) {
    }

    /**
     * @param name the source image's name, for messages and the result
     * @param reference the tag or digest to resolve at the source
     * @param expected the digest the destination names, which the root must have, or null
     */
    public TransferResult run(String name, String reference, Digest expected, TransferOptions options)
            throws IOException {
        long start = System.nanoTime();
        // The destination's ping and token do not depend on the source: they are fetched while the
        // source's manifests are, round trips saved when the registries are far away.
        Thread prepare = Thread.ofPlatform().daemon().name("ferry-prepare").start(destination::prepare);
        // step: resolve what to move: the image, the platform's image, or the whole index
        ImageSelection selection;
        try {
            selection = ImageSelection.resolve(source, name, reference, options.platform(), options.all(),
                    options.only());
        } finally {
            join(prepare);
        }
        Manifest root = selection.root();
        if (expected != null && !expected.equals(root.digest())) {
            throw new DestinationDigestException(destination.name(), expected, root.digest());
        }
        // step: hold the destination's blobs (a layout's lease) from the first presence check until
        // the root is committed, so no collector removes a blob found present before it is named
        Map<Digest, BlobRecord> records = new HashMap<>();
        Map<Digest, Job> jobs;
        try (Closeable _ = destination.hold()) {
            jobs = moveAndCommit(selection, root, options, records);
        }
        List<BlobRecord> ordered = jobs.keySet().stream().map(records::get).toList();
        return new TransferResult(name, root.descriptor(), ordered, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Every blob the destination lacks, then the manifests, children first, and the root last. */
    private Map<Digest, Job> moveAndCommit(ImageSelection selection, Manifest root, TransferOptions options,
            Map<Digest, BlobRecord> records) throws IOException {
        // step: every blob once, each image's layers then its config; a config is read first where
        // the layers' diff_ids are checked
        boolean checkDiffIds = destination.checksDiffIds() || options.verifyDiffIds();
        Map<Digest, Job> jobs = new LinkedHashMap<>();
        for (ImageManifest image : selection.images()) {
            byte[] config = checkDiffIds ? source.blobBytes(image.config(), MAX_CONFIG_BYTES) : null;
            List<Digest> diffIds = config == null ? null : diffIds(image, config);
            for (int i = 0; i < image.layers().size(); i++) {
                Descriptor layer = image.layers().get(i);
                jobs.putIfAbsent(layer.digest(), new Job(layer, diffIds == null ? null : diffIds.get(i), null));
            }
            jobs.putIfAbsent(image.config().digest(), new Job(image.config(), null, config));
        }
        listener.resolved(root, jobs.values().stream().map(Job::blob).toList());
        // step: leave out what may not be distributed; put the configs read already, before any layer
        List<Job> toMove = new ArrayList<>();
        for (Job job : jobs.values()) {
            if (LayerMediaTypes.isForeign(job.blob().mediaType()) && !options.includeForeign()) {
                listener.notice("skipping foreign layer " + job.blob().digest()
                        + " (use --include-foreign to transfer it)");
                records.put(job.blob().digest(), finished(new BlobRecord(job.blob(), job.diffId(),
                        BlobOutcome.FOREIGN_SKIPPED)));
            } else if (job.bytes() != null) {
                records.put(job.blob().digest(), put(job));
            } else {
                toMove.add(job);
            }
        }
        // step: move the blobs in parallel, largest first, so the longest transfer starts at once
        toMove.sort(Comparator.comparingLong((Job j) -> j.blob().size()).reversed());
        Cancellation cancellation = new Cancellation();
        ImageSource blobSource = RangedSource.of(source, options.ranges(), options.parallel());
        BlobMover mover = new BlobMover(blobSource, destination, listener, cancellation);
        for (BlobRecord record : Parallel.run(toMove, options.parallel(), "ferry-blob-", cancellation,
                job -> move(mover, job, blobSource, cancellation))) {
            records.put(record.descriptor().digest(), record);
        }
        // step: put the manifests, children by digest before the index, and commit the root last
        for (Manifest manifest : selection.manifestsInOrder()) {
            if (manifest != root) {
                destination.putManifest(manifest);
            }
        }
        destination.commit(root);
        return jobs;
    }

    /**
     * One blob: reused when the destination can, else moved from the source, on one of the source
     * registry's connections when it budgets them.
     */
    private BlobRecord move(BlobMover mover, Job job, ImageSource blobSource, Cancellation cancellation)
            throws IOException {
        BlobOutcome reused = destination.tryReuse(job.blob());
        if (reused != null) {
            listener.started(job.blob());
            return finished(new BlobRecord(job.blob(), job.diffId(), reused));
        }
        if (blobSource instanceof RangedSource budgeted) {
            return budgeted.holding(cancellation::isCancelled, () -> mover.move(job.blob(), job.diffId()));
        }
        return mover.move(job.blob(), job.diffId());
    }

    /** A blob read into memory already (a config): reused when the destination can, else put from there. */
    private BlobRecord put(Job job) throws IOException {
        listener.started(job.blob());
        BlobOutcome reused = destination.tryReuse(job.blob());
        if (reused != null) {
            return finished(new BlobRecord(job.blob(), job.diffId(), reused));
        }
        destination.putBlob(job.blob(), job.bytes());
        listener.progressed(job.blob(), job.bytes().length);
        return finished(new BlobRecord(job.blob(), null, BlobOutcome.FETCHED, job.bytes().length, 0));
    }

    private BlobRecord finished(BlobRecord record) {
        listener.finished(record);
        return record;
    }

    /**
     * The diff_ids of an image config, one per layer; null for artifacts, whose config is not an
     * image config and whose layers are not tars.
     */
    static List<Digest> diffIds(ImageManifest image, byte[] configBytes) throws IOException {
        String type = image.config().mediaType();
        boolean imageConfig = type == null || type.equals(MediaType.OCI_CONFIG) || type.equals(MediaType.DOCKER_CONFIG);
        if (!imageConfig) {
            return null;
        }
        ImageConfig config = ImageConfig.parse("config " + image.config().digest(), configBytes);
        List<Digest> diffIds = config.diffIds();
        if (diffIds.size() != image.layers().size()) {
            throw new VerificationException("manifest " + image.digest(), "it lists " + image.layers().size()
                    + " layers but its config has " + diffIds.size() + " diff_ids");
        }
        return diffIds;
    }

    private static void join(Thread thread) throws IOException {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }
}
