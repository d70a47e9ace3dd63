package dev.ferry.unpack;

/**
 * Bounds on what one root filesystem may take, so a crafted layer cannot exhaust the disk, the
 * inode table or the applier's memory. Exceeding one stops the unpack ({@link UnpackException}).
 *
 * @param maxEntries  entries across all layers (each tar header counts, whiteouts included)
 * @param maxDepth    path components in one name, and directories walked while resolving it
 * @param maxNameBytes bytes of one name (Linux's PATH_MAX is 4096)
 * @param maxBytes    file bytes across all layers, counted from the declared sizes before writing
 */
public record UnpackLimits(long maxEntries, int maxDepth, int maxNameBytes, long maxBytes) {

    public UnpackLimits {
        if (maxEntries <= 0 || maxDepth <= 0 || maxNameBytes <= 0 || maxBytes < 0) {
            throw new IllegalArgumentException("unpack limits must be positive");
        }
    }

    /** Generous for real images (a full Debian has about 20,000 entries, 130 MB). */
    public static UnpackLimits defaults() {
        return new UnpackLimits(10_000_000, 512, 4096, 1L << 40);
    }
}
