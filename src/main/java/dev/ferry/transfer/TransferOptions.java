package dev.ferry.transfer;

import dev.ferry.manifest.Platform;
import java.util.List;

/**
 * How to transfer an image, whatever its source and destination.
 *
 * @param platform the platform to transfer from a multi-platform image
 * @param all transfer the whole index and every platform instead
 * @param parallel how many blobs to transfer at once
 * @param includeForeign also transfer foreign / non-distributable layers
 * @param verifyDiffIds check every layer's diff_id even where the destination does not decompress
 *     (a registry): layers are then inflated while they stream
 * @param ranges how large blobs are fetched from a registry over several connections
 * @param only with {@code all}: the index is transferred as it is (its digest kept) with the
 *     manifests of these platforms alone, a sparse index as regclient's {@code ImageWithPlatforms}
 *     copies it; empty: every platform. A registry that checks an index's entries refuses it.
 */
public record TransferOptions(Platform platform, boolean all, int parallel, boolean includeForeign,
        boolean verifyDiffIds, RangeOptions ranges, List<Platform> only) {

    /** Two cores verify two layers at once; a third keeps the network busy while one inflates. */
    public static final int DEFAULT_PARALLEL = 3;

    public TransferOptions {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1");
        }
        if (ranges == null) {
            throw new IllegalArgumentException("ranges must be given");
        }
        only = only == null ? List.of() : List.copyOf(only);
        if (!only.isEmpty() && !all) {
            throw new IllegalArgumentException("only some platforms of an index needs all");
        }
    }

    public TransferOptions(Platform platform, boolean all, int parallel, boolean includeForeign,
            boolean verifyDiffIds, RangeOptions ranges) {
        this(platform, all, parallel, includeForeign, verifyDiffIds, ranges, List.of());
    }

    public TransferOptions(Platform platform, boolean all, int parallel, boolean includeForeign,
            boolean verifyDiffIds) {
        this(platform, all, parallel, includeForeign, verifyDiffIds, RangeOptions.defaults());
    }

    public TransferOptions(Platform platform, boolean all, int parallel, boolean includeForeign) {
        this(platform, all, parallel, includeForeign, false);
    }

    public static TransferOptions defaults() {
        return new TransferOptions(Platform.host(), false, DEFAULT_PARALLEL, false, false, RangeOptions.defaults());
    }
}
