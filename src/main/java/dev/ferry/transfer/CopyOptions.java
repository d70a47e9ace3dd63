package dev.ferry.transfer;

import dev.ferry.manifest.Platform;

/**
 * @param platform the platform to copy from a multi-platform image
 * @param all copy the whole index and every platform instead
 * @param parallel how many blobs to copy at once
 * @param includeForeign also copy foreign / non-distributable layers
 */
public record CopyOptions(Platform platform, boolean all, int parallel, boolean includeForeign) {

    public CopyOptions {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1");
        }
    }
}
