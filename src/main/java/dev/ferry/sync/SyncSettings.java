package dev.ferry.sync;

import java.time.Duration;

/**
 * How a sync runs, from the configuration's defaults.
 *
 * @param parallel how many images are transferred at once
 * @param interval how long to wait between rounds in agent mode (null: the command line decides)
 * @param floor Docker Hub's {@code ratelimit-remaining} is held above this many pulls
 * @param floorWait how long the workers pause when a registry says fewer remain
 * @param requestsPerSecond at most this many requests per second to one registry (0: no limit)
 * @param concurrency at most this many requests in flight to one registry
 */
public record SyncSettings(int parallel, Duration interval, int floor, Duration floorWait, double requestsPerSecond,
        int concurrency) {

    public static final int DEFAULT_PARALLEL = 2;
    public static final int DEFAULT_CONCURRENCY = 8;
    /** regsync's default wait when the rate limit is reached. */
    public static final Duration DEFAULT_FLOOR_WAIT = Duration.ofMinutes(15);
    /** A pause longer than this is cut short: a registry's answer never stops the agent for hours. */
    public static final Duration MAX_PAUSE = Duration.ofHours(1);

    public SyncSettings {
        if (parallel < 1 || parallel > 256) {
            throw new IllegalArgumentException("parallel must be between 1 and 256");
        }
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("concurrency must be between 1 and 1024");
        }
        if (floor < 0 || requestsPerSecond < 0 || !Double.isFinite(requestsPerSecond)) {
            throw new IllegalArgumentException("ratelimit.min and requestsPerSecond must not be negative");
        }
        if (floorWait.isNegative() || floorWait.compareTo(MAX_PAUSE) > 0) {
            throw new IllegalArgumentException("ratelimit.retry must be between 0 and " + MAX_PAUSE.toMinutes() + "m");
        }
    }

    public static SyncSettings defaults() {
        return new SyncSettings(DEFAULT_PARALLEL, null, 0, DEFAULT_FLOOR_WAIT, 0, DEFAULT_CONCURRENCY);
    }

    /** This worker's share when {@code shards} workers run the plan at once: the budget divided by N. */
    public SyncSettings share(int shards) {
        return new SyncSettings(parallel, interval, floor, floorWait, requestsPerSecond / shards,
                Math.max(1, concurrency / shards));
    }
}
