package dev.ferry.http;

import java.time.Duration;

/**
 * How long an exchange with a registry may take in all, besides the gap timeout between bytes: a
 * sender that drips one byte a second, or answers with informational responses for ever, never
 * trips a gap timeout. Every request gets a deadline of the grace period plus its body's size at
 * the minimum rate; requests whose size is not known ahead (manifests, tokens, tag pages, small
 * answers) get the grace period alone.
 *
 * @param grace the time any exchange gets: connecting, the registry thinking, small bodies
 * @param minBytesPerSecond the slowest rate a body may arrive (or leave) at, after the grace period
 */
public record TransferLimits(Duration grace, long minBytesPerSecond) {

    /** 1 MiB/s: a slow link still passes, a sender dripping bytes does not. */
    public static final long DEFAULT_MIN_RATE = 1024 * 1024;
    /** The shortest grace period by default, however short the read timeout is. */
    public static final Duration MIN_DEFAULT_GRACE = Duration.ofSeconds(30);
    /** The longest deadline: a registry's absurd size reads as a year in messages, not as centuries. */
    static final long MAX_DEADLINE_NANOS = Duration.ofDays(365).toNanos();

    public TransferLimits {
        if (grace == null || grace.isNegative() || grace.isZero() || grace.toSeconds() > Duration.ofDays(365).toSeconds()) {
            throw new IllegalArgumentException("the grace period must be positive and at most a year");
        }
        if (minBytesPerSecond < 1) {
            throw new IllegalArgumentException("the minimum rate must be at least 1 byte/s");
        }
    }

    /** The default grace: the connect timeout plus the read timeout (at least 30 s). */
    public static Duration defaultGrace(Duration connectTimeout, Duration readTimeout) {
        Duration grace = connectTimeout.plus(readTimeout.compareTo(MIN_DEFAULT_GRACE) > 0 ? readTimeout : MIN_DEFAULT_GRACE);
        return grace.toNanos() > MAX_DEADLINE_NANOS || grace.isNegative() ? Duration.ofNanos(MAX_DEADLINE_NANOS) : grace;
    }

    /** The default grace at the default minimum rate. */
    public static TransferLimits defaults(Duration connectTimeout, Duration readTimeout) {
        return new TransferLimits(defaultGrace(connectTimeout, readTimeout), DEFAULT_MIN_RATE);
    }

    /** The deadline for an exchange without a body of known size. */
    public Deadline small() {
        return new Deadline(grace.toNanos(), 0, this);
    }

    /**
     * The deadline for moving {@code bytes}, at most a year. The size is one a registry or a
     * manifest stated, so anything from negative to {@code Long.MAX_VALUE}: the arithmetic
     * saturates instead of overflowing.
     */
    public Deadline forBytes(long bytes) {
        long size = Math.max(bytes, 0);
        long nanos = saturatingAdd(grace.toNanos(), saturatingMultiply(size / minBytesPerSecond, 1_000_000_000L));
        // the rest of a second: under 1e9 nanoseconds, whatever the rate
        nanos = saturatingAdd(nanos, (long) ((double) (size % minBytesPerSecond) / minBytesPerSecond * 1e9));
        return new Deadline(Math.min(nanos, MAX_DEADLINE_NANOS), size, this);
    }

    static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    static long saturatingMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high == 0 && low >= 0 ? low : Long.MAX_VALUE;
    }

    /** A rate for messages: bytes/s in the largest binary unit that divides it evenly enough. */
    public static String rate(long bytesPerSecond) {
        return Deadline.bytes(bytesPerSecond) + "/s";
    }
}
