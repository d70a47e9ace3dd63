package dev.ferry.history;

import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
import dev.ferry.digest.VerifyingInputStream;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.ImageConfig;
import dev.ferry.manifest.ImageIndex;
import dev.ferry.manifest.ImageManifest;
import dev.ferry.manifest.Manifest;
import dev.ferry.manifest.Platform;
import dev.ferry.manifest.PlatformSelector;
import dev.ferry.transfer.ImageSource;
import dev.ferry.transfer.ResumingBlobStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an image's history where it is, without pulling: the manifest and config, and with
 * {@code sizes} each layer streamed once (verified, nothing written) to add up its file sizes.
 */
public final class HistoryReader {

    static final int MAX_CONFIG_BYTES = 64 << 20;

    private HistoryReader() {
    }

    /**
     * @param platform the platform to read from a multi-platform image
     * @param allPlatforms every platform's history instead
     */
    public static List<ImageHistory> read(ImageSource source, String name, String reference, Platform platform,
            boolean allPlatforms, boolean sizes) throws IOException {
        Manifest top = source.manifest(reference);
        List<ImageHistory> histories = new ArrayList<>();
        switch (top) {
            case ImageManifest image -> histories.add(history(source, null, image, sizes));
            case ImageIndex index when allPlatforms -> {
                for (Descriptor child : index.manifests()) {
                    if (child.platform() != null && source.manifest(child) instanceof ImageManifest image) {
                        histories.add(history(source, child.platform().toString(), image, sizes));
                    }
                }
            }
            case ImageIndex index -> {
                Descriptor child = PlatformSelector.select(name, index, platform);
                if (source.manifest(child) instanceof ImageManifest image) {
                    histories.add(history(source, child.platform().toString(), image, sizes));
                } else {
                    throw dev.ferry.manifest.ManifestException.invalid(name, "the entry for " + platform
                            + " is an index, not an image", null);
                }
            }
        }
        return histories;
    }

    private static ImageHistory history(ImageSource source, String platform, ImageManifest image, boolean sizes)
            throws IOException {
        byte[] bytes = source.blobBytes(image.config(), MAX_CONFIG_BYTES);
        ImageConfig config = ImageConfig.parse("config " + image.config().digest(), bytes);
        Map<Digest, Long> fileSizes = null;
        if (sizes) {
            fileSizes = new HashMap<>();
            List<Digest> diffIds = config.diffIds();
            for (int i = 0; i < image.layers().size() && i < diffIds.size(); i++) {
                Descriptor layer = image.layers().get(i);
                if (!fileSizes.containsKey(layer.digest())) {
                    fileSizes.put(layer.digest(), fileSizes(source, layer, diffIds.get(i)));
                }
            }
        }
        return ImageHistory.of(platform, image, config, fileSizes);
    }

    /**
     * One layer streamed once: a body that breaks off is asked for again after the bytes read, as
     * unpack does, and a layer that does not decompress is blamed on its digest when that is wrong.
     */
    private static long fileSizes(ImageSource source, Descriptor layer, Digest diffId) throws IOException {
        String subject = "layer " + layer.digest();
        ResumingBlobStream sourced = new ResumingBlobStream(source, layer);
        try (InputStream in = new VerifyingInputStream(sourced, subject, layer.digest(), layer.size())) {
            try {
                return LayerFileSizes.of(in, diffId, subject);
            } catch (VerificationException e) {
                throw e;
            } catch (IOException e) {
                if (sourced.failed()) {
                    throw e; // the network's or the source's failure, not the layer's
                }
                in.transferTo(OutputStream.nullOutputStream()); // the digest, checked at the end, explains best
                throw new VerificationException(subject, "is not a readable layer: " + e.getMessage());
            }
        }
    }
}
