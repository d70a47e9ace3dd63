package dev.ferry.transfer;

/**
 * How a large blob is fetched over several connections at once, in ranges, as containerd 2.1
 * does (its {@code max_concurrent_downloads_per_layer} and {@code concurrent_layer_fetch_buffer}).
 *
 * @param threshold blobs of at least this many bytes are fetched in ranges
 * @param chunkSize the bytes of one range request
 * @param perLayer connections per blob; 1 fetches every blob on one connection; {@link #AUTO}
 *     starts each on one and moves to {@link #AUTO_PER_LAYER} when the link is what it waits on
 * @param perRegistry connections to the source registry at once, over all blobs of a transfer:
 *     each blob moved holds one, and ranges take what the blobs leave free; {@link #AUTO} for the
 *     blobs moved at once times {@code perLayer}, as containerd's two settings multiply
 */
public record RangeOptions(long threshold, long chunkSize, int perLayer, int perRegistry) {

    public static final long DEFAULT_THRESHOLD = 32L * 1024 * 1024;
    public static final long DEFAULT_CHUNK_SIZE = 8L * 1024 * 1024;
    /**
     * Adaptive unless asked: containerd's default of one connection leaves a capped link (a CDN
     * edge, a long round trip) carrying a fraction of what it could, while on an uncapped one
     * (loopback, a fast mirror) ranges only add requests, and the registry and ferry spend more
     * CPU serving and reading them back (bench-pull: 3.4 -> 4.6 s with 4). One connection first,
     * ranges only once it is seen to be the bottleneck ({@link LinkProbe}).
     */
    public static final int DEFAULT_PER_LAYER = RangeOptions.AUTO;
    /** The connections of one blob once {@link #AUTO} moved it to ranges. */
    public static final int AUTO_PER_LAYER = 8;
    /**
     * The budget that ranges need and no more: {@code --parallel} blobs times their ranges each.
     * A fixed number would either starve the ranges asked for (8 per layer, 3 layers at once, on
     * a link of 10 MiB/s per connection: 12 connections carry half of what 24 do) or open
     * connections nothing uses.
     */
    public static final int AUTO = 0;
    /** Connections to one registry at most, whatever the product. */
    public static final int MAX_PER_REGISTRY = 256;
    /** A blob is split into at most this many ranges: a huge blob gets larger ones. */
    static final long MAX_RANGES = 1 << 16;
    /** Smaller ranges cost a request each for little. */
    public static final long MIN_CHUNK_SIZE = 4096;

    public RangeOptions {
        if (threshold < 0 || chunkSize < MIN_CHUNK_SIZE || perLayer < AUTO || perRegistry < AUTO
                || perRegistry > MAX_PER_REGISTRY) {
            throw new IllegalArgumentException("invalid ranged fetch options");
        }
    }

    public static RangeOptions defaults() {
        return new RangeOptions(DEFAULT_THRESHOLD, DEFAULT_CHUNK_SIZE, DEFAULT_PER_LAYER, AUTO);
    }

    /** One connection per blob. */
    public static RangeOptions off() {
        return new RangeOptions(Long.MAX_VALUE, DEFAULT_CHUNK_SIZE, 1, AUTO);
    }

    /** The connections to the source registry for {@code parallel} blobs moved at once. */
    int connections(int parallel) {
        return perRegistry != AUTO ? perRegistry : (int) Math.min(MAX_PER_REGISTRY, (long) parallel * connectionsPerLayer());
    }

    /** The connections of one blob fetched in ranges. */
    int connectionsPerLayer() {
        return perLayer == AUTO ? AUTO_PER_LAYER : perLayer;
    }

    /** How many ranges may be fetched ahead of the first incomplete one, at most. */
    int window() {
        return 2 * connectionsPerLayer();
    }

    /** True when a blob is fetched in ranges from the start: a number of connections was asked for. */
    boolean splits(long size) {
        return perLayer > 1 && large(size);
    }

    /** True when a blob starts on one connection and may move to ranges ({@link #AUTO}). */
    boolean adapts(long size) {
        return perLayer == AUTO && large(size);
    }

    private boolean large(long size) {
        return size >= threshold && size > chunkSize;
    }

    /** The size of each range of {@code rest} bytes: the option's, or larger for a huge blob. */
    long rangeSize(long rest) {
        return Math.max(chunkSize, Math.ceilDiv(rest, MAX_RANGES));
    }
}
