package dev.ferry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final Duration MAX = Duration.ofSeconds(60);

    @Test
    void delaySecondsAreReadAsSeconds() {
        assertEquals(Duration.ofSeconds(7), RetryAfter.parse("7", NOW, MAX));
        assertEquals(Duration.ZERO, RetryAfter.parse("0", NOW, MAX));
    }

    @Test
    void anHttpDateIsTheWaitUntilThatMoment() {
        assertEquals(Duration.ofSeconds(30), RetryAfter.parse("Mon, 23 Nov 2026 12:00:30 GMT", NOW, MAX));
    }

    @Test
    void aDateInThePastMeansNoWait() {
        assertEquals(Duration.ZERO, RetryAfter.parse("Mon, 23 Nov 2026 11:00:00 GMT", NOW, MAX));
    }

    @Test
    void longWaitsAreCapped() {
        assertEquals(MAX, RetryAfter.parse("86400", NOW, MAX));
        assertEquals(MAX, RetryAfter.parse("99999999999999999999999", NOW, MAX));
        assertEquals(MAX, RetryAfter.parse("Tue, 24 Nov 2026 12:00:00 GMT", NOW, MAX));
    }

    @Test
    void absentOrUnreadableHeadersGiveNoWait() {
        assertNull(RetryAfter.parse(null, NOW, MAX));
        assertNull(RetryAfter.parse(" ", NOW, MAX));
        assertNull(RetryAfter.parse("soon", NOW, MAX));
    }

    @Test
    void aFreshBackoffDoesNotWaitAndOneSetInThePastDoesNotEither() throws Exception {
        List<Duration> slept = new ArrayList<>();
        Retrier.Backoff backoff = new Retrier.Backoff(Clock.fixed(NOW, ZoneOffset.UTC), slept::add);
        backoff.await();
        backoff.until(NOW.minusSeconds(5));
        backoff.await();
        assertEquals(List.of(), slept);
    }

    @Test
    void aBackoffWaitsUntilTheLatestMomentAnyAnswerAskedFor() throws Exception {
        List<Duration> slept = new ArrayList<>();
        Retrier.Backoff backoff = new Retrier.Backoff(Clock.fixed(NOW, ZoneOffset.UTC), slept::add);
        backoff.until(NOW.plusMillis(300));
        backoff.until(NOW.plusMillis(100)); // an earlier wait does not shorten it
        backoff.await();
        assertEquals(List.of(Duration.ofMillis(300)), slept);
    }

    @Test
    void anInterruptedBackoffSaysSoAsAnIoFailure() {
        Retrier.Backoff backoff = new Retrier.Backoff(Clock.fixed(NOW, ZoneOffset.UTC), duration -> {
            throw new InterruptedException();
        });
        backoff.until(NOW.plusSeconds(1));
        assertThrows(InterruptedIOException.class, backoff::await);
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
    }

    @Test
    void resetsAndTimeoutsAreRetriedButNotRefusalsUnknownHostsTlsOrCancels() {
        assertTrue(Retrier.retryable(new SocketTimeoutException("read timed out")));
        assertTrue(Retrier.retryable(new IOException("unexpected end of stream")));
        assertFalse(Retrier.retryable(new ConnectException("Connection refused")));
        assertFalse(Retrier.retryable(new UnknownHostException("nosuch")));
        assertFalse(Retrier.retryable(new SSLHandshakeException("unknown CA")));
        assertFalse(Retrier.retryable(new InterruptedIOException("cancelled: another blob of this transfer failed")));
        assertFalse(Retrier.retryable(new IOException("Canceled")));
        assertFalse(Retrier.retryable(new IllegalStateException("bug")));
    }
}
