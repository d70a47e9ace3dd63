package dev.ferry.http;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.Response;

/**
 * Sends requests that are safe to repeat (GET, HEAD, token requests), retrying with resilience4j:
 * on connection failures and timeouts, and on 408, 429, 500, 502, 503 and 504; never on other
 * answers, which would only repeat. Waits as {@code Retry-After} asks on 429 and 503 (capped),
 * otherwise as configured or with exponential back-off and jitter. One {@link Backoff} per
 * registry makes every worker wait out a throttling answer, not just the one that got it.
 */
public final class Retrier {

    private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);
    private static final IntervalFunction EXPONENTIAL = IntervalFunction.ofExponentialRandomBackoff(
            Duration.ofMillis(500), 2.0, 0.5, Duration.ofSeconds(30));

    private final RetryPolicy policy;
    private final PrintStream debugLog;
    private final LongAdder retries = new LongAdder();

    /** @param debugLog where to log each retry, or null */
    public Retrier(RetryPolicy policy, PrintStream debugLog) {
        this.policy = policy;
        this.debugLog = debugLog;
    }

    /** How many retries all requests needed so far. */
    /** How often a request is retried. */
    public RetryPolicy policy() {
        return policy;
    }

    public long retries() {
        return retries.sum();
    }

    /**
     * Counts and logs a retry made above this class: a streamed upload started again from its
     * beginning, whose body no single request could send twice.
     */
    public void recordRetry(String what, int attempt, Throwable cause) {
        retries.increment();
        if (debugLog != null) {
            debugLog.printf(Locale.ROOT, "debug: retrying %s (attempt %d of %d): %s%n", what, attempt + 1,
                    policy.times() + 1, cause.getClass().getSimpleName());
        }
    }

    /** The shared wait of one registry after it answered 429 or 503 with Retry-After. */
    public static final class Backoff {
        private final AtomicLong notBefore = new AtomicLong(0);
        private final Clock clock;
        private final Sleeper sleeper;

        public Backoff() {
            this(Clock.systemUTC(), Thread::sleep);
        }

        /** With the clock a Retry-After date is read against and what waits: tests pass their own. */
        Backoff(Clock clock, Sleeper sleeper) {
            this.clock = clock;
            this.sleeper = sleeper;
        }

        Instant now() {
            return clock.instant();
        }

        void until(Instant instant) {
            notBefore.accumulateAndGet(instant.toEpochMilli(), Math::max);
        }

        void await() throws InterruptedIOException {
            long wait = notBefore.get() - clock.millis();
            if (wait > 0) {
                try {
                    sleeper.sleep(Duration.ofMillis(wait));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the registry's Retry-After");
                }
            }
        }
    }

    /** Waits for a while: {@link Thread#sleep(Duration)}, or a recording stand-in in tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * Executes a fresh call from {@code newCall} until an answer that is not worth retrying or the
     * attempts run out; returns the last response (the caller maps its status) or throws the last
     * failure.
     */
    public Response execute(Supplier<Call> newCall, Backoff backoff) throws IOException {
        RetryConfig config = RetryConfig.<Response>custom()
                .maxAttempts(policy.times() + 1)
                .retryOnResult(response -> RETRYABLE.contains(response.code()))
                .retryOnException(Retrier::retryable)
                .consumeResultBeforeRetryAttempt((attempt, response) -> response.close())
                .intervalBiFunction(interval(backoff))
                .failAfterMaxAttempts(false)
                .build();
        Retry retry = Retry.of("registry", config);
        String[] what = new String[1];
        retry.getEventPublisher().onRetry(event -> {
            retries.increment();
            if (debugLog != null) {
                debugLog.printf(Locale.ROOT, "debug: retrying %s (attempt %d of %d) in %d ms: %s%n", what[0],
                        event.getNumberOfRetryAttempts() + 1, policy.times() + 1, event.getWaitInterval().toMillis(),
                        event.getLastThrowable() != null ? event.getLastThrowable().getClass().getSimpleName()
                                : "retryable answer");
            }
        });
        try {
            return retry.executeCallable(() -> {
                backoff.await();
                Call call = newCall.get();
                what[0] = call.request().method() + " " + call.request().url().encodedPath();
                return call.execute();
            });
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private IntervalBiFunction<Response> interval(Backoff backoff) {
        return (attempt, outcome) -> {
            Duration asked = outcome.isRight() ? retryAfter(outcome.get(), backoff.now()) : null;
            if (asked != null) {
                backoff.until(backoff.now().plus(asked));
                return asked.toMillis();
            }
            return policy.delay() != null ? policy.delay().toMillis() : EXPONENTIAL.apply(attempt);
        };
    }

    private static Duration retryAfter(Response response, Instant now) {
        if (response.code() != 429 && response.code() != 503) {
            return null;
        }
        return RetryAfter.parse(response.header("Retry-After"), now, RetryPolicy.MAX_RETRY_AFTER);
    }

    /**
     * Resets and timeouts may pass; a wrong host name, a refused connection (nothing listens), a TLS
     * mismatch or a cancel will not, and retrying them would only delay the error.
     */
    static boolean retryable(Throwable t) {
        if (!(t instanceof IOException) || t instanceof UnknownHostException || t instanceof SSLException
                || t instanceof java.net.ConnectException) {
            return false;
        }
        String message = String.valueOf(t.getMessage());
        return !(t instanceof InterruptedIOException && !(t instanceof java.net.SocketTimeoutException))
                && !message.equalsIgnoreCase("canceled");
    }

}
