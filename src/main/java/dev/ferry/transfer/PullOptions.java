package dev.ferry.transfer;

import dev.ferry.manifest.Platform;

/**
 * @param platform the platform to pull from a multi-platform image
 * @param all store the whole index and every platform instead
 * @param parallel how many blobs to fetch at once
 * @param includeForeign also fetch foreign / non-distributable layers
 * @param refName the {@code org.opencontainers.image.ref.name} for index.json, or null for none
 */
public record PullOptions(Platform platform, boolean all, int parallel, boolean includeForeign, String refName) {

    /** Two cores verify two layers at once; a third keeps the network busy while one inflates. */
    public static final int DEFAULT_PARALLEL = 3;

    public PullOptions {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1");
        }
    }
}
