package dev.ferry.sync;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One registry's request budget, shared by every worker: at most {@code concurrency} requests in
 * flight, at most {@code requestsPerSecond}, and a pause for everyone when the registry says so
 * (Retry-After on 429 or 503) or when Docker Hub's {@code ratelimit-remaining} falls to the floor.
 */
final class RequestBudget {

    private static final Pattern REMAINING = Pattern.compile("\\s*(\\d{1,12})\\s*(?:;.*)?");
    private static final Pattern SECONDS = Pattern.compile("\\s*(\\d{1,9})\\s*");

    private final Semaphore inFlight;
    private final long spacingNanos;
    private final int floor;
    private final Duration floorWait;
    private final Sleeper sleeper;
    private long nextSlot;
    private volatile long pausedUntil;
    private final AtomicLong pauses = new AtomicLong();

    /** Waits; a test's sleeper counts instead of sleeping. */
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;

        Sleeper REAL = nanos -> TimeUnit.NANOSECONDS.sleep(nanos);
    }

    RequestBudget(SyncSettings settings, Sleeper sleeper) {
        this.inFlight = new Semaphore(settings.concurrency(), true);
        this.spacingNanos = settings.requestsPerSecond() <= 0 ? 0 : (long) (1e9 / settings.requestsPerSecond());
        this.floor = settings.floor();
        this.floorWait = settings.floorWait();
        this.sleeper = sleeper;
        this.nextSlot = System.nanoTime();
    }

    /** How often the registry made every worker pause. */
    long pauses() {
        return pauses.get();
    }

    /** Waits for a pause to end, a rate slot and a free place; {@link #release} must follow. */
    void acquire() throws IOException {
        try {
            long wait;
            while ((wait = pausedUntil - System.nanoTime()) > 0) {
                sleeper.sleepNanos(wait);
            }
            if (spacingNanos > 0) {
                long slot;
                synchronized (this) {
                    slot = Math.max(nextSlot, System.nanoTime());
                    nextSlot = slot + spacingNanos;
                }
                long until = slot - System.nanoTime();
                if (until > 0) {
                    sleeper.sleepNanos(until);
                }
            }
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the registry's request budget");
        }
    }

    /**
     * Gives the place back, and reads what the answer says of the budget.
     *
     * @param retryAfter the answer's Retry-After on 429 or 503, or null
     * @param remaining the answer's {@code ratelimit-remaining}, or null
     */
    void release(int status, String retryAfter, String remaining) {
        inFlight.release();
        if ((status == 429 || status == 503) && retryAfter != null) {
            Matcher m = SECONDS.matcher(retryAfter);
            // an HTTP date or nonsense: the retrier's own backoff applies; only seconds pause everyone
            if (m.matches()) {
                pause(Duration.ofSeconds(Math.min(Long.parseLong(m.group(1)), SyncSettings.MAX_PAUSE.toSeconds())));
            }
        }
        if (remaining != null && floor > 0) {
            Matcher m = REMAINING.matcher(remaining);
            if (m.matches() && Long.parseLong(m.group(1)) <= floor) {
                pause(floorWait);
            }
        }
    }

    private void pause(Duration length) {
        long until = System.nanoTime() + length.toNanos();
        synchronized (this) {
            if (until > pausedUntil) {
                pausedUntil = until;
                pauses.incrementAndGet();
            }
        }
    }
}
