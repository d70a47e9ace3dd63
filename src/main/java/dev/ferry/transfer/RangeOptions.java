package dev.ferry.transfer;

/**
 * How a large blob is fetched over several connections at once, in ranges, as containerd 2.1
 * does (its {@code max_concurrent_downloads_per_layer} and {@code concurrent_layer_fetch_buffer}).
 *
 * @param threshold blobs of at least this many bytes are fetched in ranges
 * @param chunkSize the bytes of one range request
 * @param perLayer connections per blob; 1 fetches every blob on one connection
 * @param perRegistry connections to the source registry at once, over all blobs of a transfer:
 *     each blob moved holds one, and ranges take what the blobs leave free
 */
public record RangeOptions(long threshold, long chunkSize, int perLayer, int perRegistry) {

    public static final long DEFAULT_THRESHOLD = 32L * 1024 * 1024;
    public static final long DEFAULT_CHUNK_SIZE = 8L * 1024 * 1024;
    /**
     * One connection per blob unless asked, as containerd: on an uncapped link (loopback, a fast
     * mirror) ranges only add requests, and the registry and ferry spend more CPU serving and
     * reading them back (bench-pull: 3.4 -> 4.6 s with 4).
     */
    public static final int DEFAULT_PER_LAYER = 1;
    public static final int DEFAULT_PER_REGISTRY = 12;
    /** A blob is split into at most this many ranges: a huge blob gets larger ones. */
    static final long MAX_RANGES = 1 << 16;
    /** Smaller ranges cost a request each for little. */
    public static final long MIN_CHUNK_SIZE = 4096;

    public RangeOptions {
        if (threshold < 0 || chunkSize < MIN_CHUNK_SIZE || perLayer < 1 || perRegistry < 1) {
            throw new IllegalArgumentException("invalid ranged fetch options");
        }
    }

    public static RangeOptions defaults() {
        return new RangeOptions(DEFAULT_THRESHOLD, DEFAULT_CHUNK_SIZE, DEFAULT_PER_LAYER, DEFAULT_PER_REGISTRY);
    }

    /** One connection per blob. */
    public static RangeOptions off() {
        return new RangeOptions(Long.MAX_VALUE, DEFAULT_CHUNK_SIZE, 1, DEFAULT_PER_REGISTRY);
    }

    /** How many ranges may be fetched ahead of the first incomplete one, at most. */
    int window() {
        return 2 * perLayer;
    }

    /** The size of each range of {@code rest} bytes: the option's, or larger for a huge blob. */
    long rangeSize(long rest) {
        return Math.max(chunkSize, Math.ceilDiv(rest, MAX_RANGES));
    }
}
