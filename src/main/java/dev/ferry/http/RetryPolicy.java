package dev.ferry.http;

import java.time.Duration;

/**
 * How often and how long to retry a registry request that is safe to repeat.
 *
 * @param times retries after the first attempt (skopeo's {@code --retry-times})
 * @param delay a fixed delay between attempts (skopeo's {@code --retry-delay}), or null for
 *     exponential back-off with jitter
 */
public record RetryPolicy(int times, Duration delay) {

    /** Three retries: a throttled or restarting registry gets a few seconds to recover. */
    public static final int DEFAULT_TIMES = 3;
    /** The longest a {@code Retry-After} header may make ferry wait. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    public RetryPolicy {
        if (times < 0) {
            throw new IllegalArgumentException("retry times must not be negative");
        }
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("retry delay must not be negative");
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_TIMES, null);
    }

    public static RetryPolicy none() {
        return new RetryPolicy(0, null);
    }
}
