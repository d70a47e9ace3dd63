package dev.ferry.history;

import dev.ferry.digest.Digest;
import dev.ferry.manifest.ImageConfig;
import dev.ferry.manifest.ImageManifest;
import dev.ferry.manifest.ManifestException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The history of one image (one platform's), rows newest first as Docker prints them. */
public record ImageHistory(String platform, Digest imageId, List<HistoryRow> rows) {

    public ImageHistory {
        rows = List.copyOf(rows);
    }

    /**
     * Pairs each history entry that made a layer with the next layer, as Docker's daemon does.
     *
     * @param fileSizes each layer's summed file sizes by digest, or null for compressed sizes
     */
    public static ImageHistory of(String platform, ImageManifest manifest, ImageConfig config, Map<Digest, Long> fileSizes)
            throws ManifestException {
        List<Digest> diffIds = config.diffIds();
        List<Digest> chainIds = ChainIds.of(diffIds);
        String subject = "config " + manifest.config().digest();
        if (diffIds.size() != manifest.layers().size()) {
            throw ManifestException.invalid(subject, "it has " + diffIds.size() + " diff_ids for "
                    + manifest.layers().size() + " layers", null);
        }
        List<ImageConfig.History> history = config.history();
        if (history.isEmpty()) {
            // no history: one row per layer, as little as is known
            history = diffIds.stream().map(d -> new ImageConfig.History(null, "", null, "", false)).toList();
        }
        List<HistoryRow> rows = new ArrayList<>();
        int layer = 0;
        for (ImageConfig.History h : history) {
            long size = 0;
            Digest digest = null;
            Digest diffId = null;
            Digest chainId = null;
            if (!h.emptyLayer()) {
                if (layer >= diffIds.size()) {
                    throw ManifestException.invalid(subject, "its history has more non-empty layers than its "
                            + diffIds.size() + " diff_ids", null);
                }
                digest = manifest.layers().get(layer).digest();
                size = fileSizes != null ? fileSizes.get(digest) : manifest.layers().get(layer).size();
                diffId = diffIds.get(layer);
                chainId = chainIds.get(layer);
                layer++;
            }
            rows.addFirst(new HistoryRow("<missing>", instant(h.created()), h.createdBy() == null ? "" : h.createdBy(),
                    h.comment() == null ? "" : h.comment(), h.emptyLayer(), size, fileSizes != null, digest, diffId, chainId));
        }
        if (!rows.isEmpty()) {
            HistoryRow top = rows.getFirst();
            rows.set(0, new HistoryRow(manifest.config().digest().toString(), top.created(), top.createdBy(),
                    top.comment(), top.emptyLayer(), top.size(), top.filesSized(), top.layer(), top.diffId(), top.chainId()));
        }
        return new ImageHistory(platform, manifest.config().digest(), rows);
    }

    private static Instant instant(String created) {
        if (created == null || created.isEmpty()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(created).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
