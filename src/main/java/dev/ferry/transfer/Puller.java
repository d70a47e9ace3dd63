package dev.ferry.transfer;

import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
import dev.ferry.layout.OciLayout;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.ImageConfig;
import dev.ferry.manifest.ImageIndex;
import dev.ferry.manifest.ImageManifest;
import dev.ferry.manifest.LayerMediaTypes;
import dev.ferry.manifest.Manifest;
import dev.ferry.manifest.ManifestException;
import dev.ferry.manifest.MediaType;
import dev.ferry.manifest.PlatformSelector;
import dev.ferry.reference.ImageReference;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pulls an image from a source into an OCI layout: resolve the manifest (and platform), fetch and
 * store the configs, fetch every layer through the {@link LayerPipeline} in parallel, largest
 * first, then store the manifests and, last, point index.json at the result.
 */
public final class Puller {

    /** Configs are small JSON documents; a larger one is refused rather than held in memory. */
    static final int MAX_CONFIG_BYTES = 64 * 1024 * 1024;

    private final ImageSource source;
    private final OciLayout layout;
    private final TransferListener listener;

    public Puller(ImageSource source, OciLayout layout, TransferListener listener) {
        this.source = source;
        this.layout = layout;
        this.listener = listener;
    }

    /** A layer to fetch, with the diff_id its config promises (null when not an image layer). */
    record Job(Descriptor blob, Digest diffId) {
    }

    public TransferResult pull(ImageReference ref, PullOptions options) throws IOException {
        return pull(ref.toString(), ref.manifestReference(), ref.toString(), options);
    }

    /**
     * @param name the image's name for messages and the result
     * @param reference the tag or digest to resolve at the source
     * @param imageName the full image name for index.json ({@code io.containerd.image.name}), or null
     */
    public TransferResult pull(String name, String reference, String imageName, PullOptions options)
            throws IOException {
        long start = System.nanoTime();
        // step: resolve what to store: the image, the platform's image, or the whole index
        ImageSelection selection = ImageSelection.resolve(source, name, reference, options.platform(), options.all());
        Manifest root = selection.root();
        List<ImageManifest> images = selection.images();
        // step: fetch and store each config; it says what every layer must decompress to
        Map<Digest, Job> jobs = new LinkedHashMap<>();
        List<BlobRecord> records = new ArrayList<>();
        for (ImageManifest image : images) {
            byte[] configBytes = source.blobBytes(image.config(), MAX_CONFIG_BYTES);
            List<Digest> diffIds = diffIds(image, configBytes);
            for (int i = 0; i < image.layers().size(); i++) {
                Descriptor layer = image.layers().get(i);
                jobs.putIfAbsent(layer.digest(), new Job(layer, diffIds == null ? null : diffIds.get(i)));
            }
            layout.putVerifiedBlob(image.config().digest(), configBytes);
        }
        listener.resolved(root, jobs.values().stream().map(Job::blob).toList());
        // step: leave out what is there already and what may not be distributed
        List<Job> toFetch = new ArrayList<>();
        for (Job job : jobs.values()) {
            if (LayerMediaTypes.isForeign(job.blob().mediaType()) && !options.includeForeign()) {
                listener.notice("skipping foreign layer " + job.blob().digest() + " (use --include-foreign to pull it)");
                records.add(report(new BlobRecord(job.blob(), job.diffId(), BlobOutcome.SKIPPED)));
            } else if (layout.hasBlob(job.blob())) {
                records.add(report(new BlobRecord(job.blob(), job.diffId(), BlobOutcome.REUSED)));
            } else {
                toFetch.add(job);
            }
        }
        // step: fetch the layers in parallel, largest first, so the longest transfer starts at once
        toFetch.sort(Comparator.comparingLong((Job j) -> j.blob().size()).reversed());
        Cancellation cancellation = new Cancellation();
        LayerPipeline pipeline = new LayerPipeline(source, layout, listener, cancellation);
        records.addAll(Parallel.run(toFetch, options.parallel(), "ferry-fetch-", cancellation,
                job -> pipeline.fetch(job.blob(), job.diffId())));
        // step: store the manifests, children before the index that names them
        for (Manifest manifest : selection.manifestsInOrder()) {
            layout.putVerifiedBlob(manifest.digest(), manifest.raw());
        }
        // step: last, point index.json at the stored image
        layout.tag(root.descriptor(), options.refName(), imageName);
        return new TransferResult(name, root.descriptor(), records, Duration.ofNanos(System.nanoTime() - start));
    }

    private BlobRecord report(BlobRecord record) {
        listener.finished(record);
        return record;
    }

    /**
     * The diff_ids of an image config, one per layer; null for artifacts, whose config is not an
     * image config and whose layers are not tars.
     */
    private static List<Digest> diffIds(ImageManifest image, byte[] configBytes) throws IOException {
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
}
