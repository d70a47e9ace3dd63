package dev.ferry.sync;

import dev.ferry.digest.Digest;
import dev.ferry.layout.OciLayout;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.ImageIndex;
import dev.ferry.manifest.ImageManifest;
import dev.ferry.manifest.Manifest;
import dev.ferry.manifest.Platform;
import dev.ferry.manifest.PlatformSelector;
import dev.ferry.registry.PushClient;
import dev.ferry.registry.RegistryException;
import dev.ferry.transfer.BlobRecord;
import dev.ferry.transfer.ImageDestination;
import dev.ferry.transfer.LayoutDestination;
import dev.ferry.transfer.RangeOptions;
import dev.ferry.transfer.RegistryDestination;
import dev.ferry.transfer.RegistrySource;
import dev.ferry.transfer.Transfer;
import dev.ferry.transfer.TransferListener;
import dev.ferry.transfer.TransferOptions;
import dev.ferry.transfer.TransferResult;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One image of a round: decided with HEAD requests only, then, when it changed, sized from its
 * manifests (which the engine then reads from the cache) and copied by the one transfer engine.
 */
final class ImageJob {

    private static final int BLOBS_AT_ONCE = 3;

    final PlanItem item;
    final RequestTally tally = new RequestTally();
    private final Syncer syncer;
    private CachingSource source;
    Digest sourceDigest;
    Digest targetDigest;
    long size;

    ImageJob(Syncer syncer, PlanItem item) {
        this.syncer = syncer;
        this.item = item;
    }

    /** True when the target has the source's image: decided from two HEADs (or index.json) and nothing else. */
    boolean upToDate() throws Exception {
        return Traffic.counting(tally, () -> {
            Optional<Digest> at = syncer.clients().client(item.rule().source(), syncer.access(item.rule().source()))
                    .manifestDigest(item.source().manifestReference());
            sourceDigest = at.orElseThrow(() -> new IOException(item.source() + ": no such manifest at the source"));
            targetDigest = targetDigest();
            Digest wanted = item.rule().platform() == null ? sourceDigest : syncer.platformCopies.get(key());
            return wanted != null && wanted.equals(targetDigest);
        });
    }

    private String key() {
        return item.source() + "@" + sourceDigest + "/" + item.rule().platform();
    }

    private Digest targetDigest() throws IOException {
        if (item.target() != null) {
            return syncer.clients().client(item.target().repository(), syncer.access(item.target().repository()))
                    .manifestDigest(item.target().manifestReference()).orElse(null);
        }
        Path dir = ((Target.Layout) item.rule().target()).dir();
        if (!java.nio.file.Files.exists(dir.resolve("index.json"))) {
            return null;
        }
        for (Descriptor entry : OciLayout.open(dir).manifests()) {
            if (entry.annotations() != null
                    && item.layoutName().equals(entry.annotations().get("org.opencontainers.image.ref.name"))) {
                return entry.digest();
            }
        }
        return null;
    }

    /** Reads the manifests to copy (cached for the engine) and adds up the blob sizes, to schedule largest first. */
    void size() throws Exception {
        Traffic.counting(tally, () -> {
            source = new CachingSource(new RegistrySource(syncer.clients().client(item.rule().source(),
                    syncer.access(item.rule().source()))));
            Manifest top = source.manifest(sourceDigest.toString());
            long total = 0;
            if (top instanceof ImageIndex index) {
                Platform platform = item.rule().platform();
                List<Platform> only = item.rule().platforms();
                for (Descriptor child : platform == null ? index.manifests()
                        : List.of(PlatformSelector.select(item.source().toString(), index, platform))) {
                    boolean wanted = only.isEmpty()
                            || child.platform() != null && only.stream().anyMatch(p -> p.matches(child.platform()));
                    if (wanted && source.manifest(child) instanceof ImageManifest image) {
                        total += blobs(image);
                    }
                }
            } else if (top instanceof ImageManifest image) {
                total += blobs(image);
            }
            size = total;
            return null;
        });
    }

    private static long blobs(ImageManifest image) {
        return image.config().size() + image.layers().stream().mapToLong(Descriptor::size).sum();
    }

    private TransferResult transfer(CachingSource from, ImageDestination to, TransferListener listener,
            TransferOptions options) throws IOException {
        try {
            return new Transfer(from, to, listener).run(item.source().toString(), sourceDigest.toString(), null, options);
        } catch (RegistryException e) {
            boolean childUnknown = e.errors().stream().anyMatch(x -> "MANIFEST_BLOB_UNKNOWN".equals(x.code()));
            if (!options.only().isEmpty() && childUnknown) {
                throw new IOException("the target refuses an index whose platforms are not all present (write "
                        + "platform for one platform's image, or leave platforms out): " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** Copies the image through the engine; its root is the source's digest, so the name points at it. */
    TransferResult copy(SharedBlobs shared) throws Exception {
        return Traffic.counting(tally, () -> {
            SharingDestination sharing = null;
            ImageDestination destination;
            Closeable lease;
            if (item.target() != null) {
                PushClient push = syncer.clients().pushClient(item.target().repository(),
                        syncer.access(item.target().repository()), null, PushClient.DEFAULT_CHUNK_SIZE);
                sharing = new SharingDestination(new RegistryDestination(push, item.target(), null), push, shared);
                destination = sharing;
                lease = null;
            } else {
                Path dir = ((Target.Layout) item.rule().target()).dir();
                OciLayout layout = OciLayout.open(dir);
                destination = new LayoutDestination(layout, item.layoutName(), item.source().toString(),
                        item.targetName());
                // the blobs reach nothing until index.json names the image: no collection meanwhile
                lease = layout.holdBlobs();
            }
            SharingDestination finishing = sharing;
            TransferListener listener = new TransferListener() {
                @Override
                public void finished(BlobRecord record) {
                    if (finishing != null) {
                        finishing.finished(record.descriptor().digest());
                    }
                }
            };
            Platform platform = item.rule().platform();
            // a platforms list copies the index as it is with only those manifests (regsync's sparse index)
            TransferOptions options = new TransferOptions(platform == null ? Platform.host() : platform,
                    platform == null, BLOBS_AT_ONCE, false, false, RangeOptions.defaults(),
                    item.rule().platforms());
            try {
                TransferResult result = transfer(source, destination, listener, options);
                targetDigest = result.manifest().digest();
                if (platform != null) {
                    syncer.platformCopies.put(key(), targetDigest);
                }
                return result;
            } finally {
                if (sharing != null) {
                    sharing.release();
                }
                if (lease != null) {
                    lease.close();
                }
            }
        });
    }
}
