package dev.ferry.transfer;

import dev.ferry.digest.Digest;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.ImageManifest;
import dev.ferry.manifest.LayerMediaTypes;
import dev.ferry.manifest.Manifest;
import dev.ferry.reference.ImageReference;
import dev.ferry.reference.Repository;
import dev.ferry.registry.PushClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies an image from a source (a registry or a layout) into a registry repository: resolve the
 * manifest (and platform), copy every blob in parallel, largest first, then push the manifests as
 * their exact bytes, children before the index, and last the one the destination tag names. The
 * destination's digest is then the source's.
 */
public final class Copier {

    private final ImageSource source;
    private final PushClient destination;
    private final Repository mountFrom;
    private final TransferListener listener;

    /**
     * @param mountFrom the source repository when it is on the destination's registry (blobs are then
     *     mounted, not uploaded), or null
     */
    public Copier(ImageSource source, PushClient destination, Repository mountFrom, TransferListener listener) {
        this.source = source;
        this.destination = destination;
        this.mountFrom = mountFrom;
        this.listener = listener;
    }

    /**
     * @param sourceName the source image's name, for messages and the result
     * @param sourceReference the tag or digest to resolve at the source
     * @param target where to push: its tag, or its digest when it has no tag
     */
    public TransferResult copy(String sourceName, String sourceReference, ImageReference target, CopyOptions options)
            throws IOException {
        long start = System.nanoTime();
        // The destination's ping and token do not depend on the source: they are fetched while the
        // source's manifests are, round trips saved when the registries are far away.
        Thread prepare = Thread.ofPlatform().daemon().name("ferry-prepare").start(destination::prepare);
        // step: resolve what to copy: the image, the platform's image, or the whole index
        ImageSelection selection = ImageSelection.resolve(source, sourceName, sourceReference, options.platform(),
                options.all());
        joinQuietly(prepare);
        Manifest root = selection.root();
        if (target.digest() != null && !target.digest().equals(root.digest())) {
            throw new DestinationDigestException(target, root.digest());
        }
        // step: every blob once: configs and layers of every image
        Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
        for (ImageManifest image : selection.images()) {
            blobs.putIfAbsent(image.config().digest(), image.config());
            for (Descriptor layer : image.layers()) {
                blobs.putIfAbsent(layer.digest(), layer);
            }
        }
        listener.resolved(root, List.copyOf(blobs.values()));
        List<BlobRecord> records = new ArrayList<>();
        List<Descriptor> toCopy = new ArrayList<>();
        for (Descriptor blob : blobs.values()) {
            if (LayerMediaTypes.isForeign(blob.mediaType()) && !options.includeForeign()) {
                listener.notice("skipping foreign layer " + blob.digest() + " (use --include-foreign to copy it)");
                BlobRecord record = new BlobRecord(blob, null, BlobOutcome.SKIPPED);
                listener.finished(record);
                records.add(record);
            } else {
                toCopy.add(blob);
            }
        }
        // step: copy the blobs in parallel, largest first, so the longest transfer starts at once
        toCopy.sort(Comparator.comparingLong(Descriptor::size).reversed());
        Cancellation cancellation = new Cancellation();
        BlobCopier copier = new BlobCopier(source, destination, mountFrom, listener, cancellation);
        records.addAll(Parallel.run(toCopy, options.parallel(), "ferry-copy-", cancellation, copier::copy));
        // step: push the manifests, children by digest before the index, the root last under its tag
        for (Manifest manifest : selection.manifestsInOrder()) {
            if (manifest != root) {
                destination.putManifest(manifest.digest().toString(), manifest);
            }
        }
        destination.putManifest(target.tag() != null ? target.tag() : root.digest().toString(), root);
        return new TransferResult(sourceName, root.descriptor(), records, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Waits for the destination to be prepared, so that the blob workers share its token. */
    private static void joinQuietly(Thread thread) throws IOException {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
