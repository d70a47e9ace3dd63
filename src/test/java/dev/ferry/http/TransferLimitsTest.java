package dev.ferry.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Deadlines from sizes a registry states: saturating arithmetic, at most a year. */
class TransferLimitsTest {

    final TransferLimits limits = new TransferLimits(Duration.ofSeconds(30), 1024 * 1024);

    @Test
    void aBodyGetsTheGracePeriodPlusItsSizeAtTheMinimumRate() {
        assertEquals(Duration.ofSeconds(32).toNanos(), limits.forBytes(2 * 1024 * 1024).nanos());
        assertEquals(Duration.ofMillis(30_500).toNanos(), limits.forBytes(512 * 1024).nanos());
        assertTrue(limits.forBytes(3 * 1024 * 1024).describe()
                .contains("33 s (the grace period of 30 s plus 3 MiB at the minimum rate of 1 MiB/s"));
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MAX_VALUE, Long.MAX_VALUE / 2, 1L << 62, 9_000_000_000_000_000L})
    void anAbsurdSizeGivesAYearNotAnOverflow(long size) {
        assertEquals(Duration.ofDays(365).toNanos(), limits.forBytes(size).nanos());
        assertEquals(Duration.ofDays(365).toNanos(), new TransferLimits(Duration.ofSeconds(30), 1).forBytes(size).nanos());
    }

    @Test
    void aHugeMinimumRateLeavesTheGracePeriod() {
        TransferLimits fast = new TransferLimits(Duration.ofSeconds(30), Long.MAX_VALUE / 3);

        assertEquals(Duration.ofSeconds(30).toNanos(), fast.forBytes(1024).nanos());
        assertEquals(Duration.ofSeconds(33).toNanos(), fast.forBytes(Long.MAX_VALUE - 1).nanos());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void aNegativeOrZeroSizeGivesTheGracePeriod(long size) {
        assertEquals(Duration.ofSeconds(30).toNanos(), limits.forBytes(size).nanos());
    }

    @Test
    void theDefaultGraceIsTheConnectTimeoutPlusTheReadTimeoutAtLeastThirtySeconds() {
        assertEquals(Duration.ofSeconds(40), TransferLimits.defaultGrace(Duration.ofSeconds(10), Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(70), TransferLimits.defaultGrace(Duration.ofSeconds(10), Duration.ofSeconds(60)));
        assertEquals(Duration.ofDays(365), TransferLimits.defaultGrace(Duration.ofSeconds(10), Duration.ofDays(9999)));
    }

    @Test
    void theLongestDeadlineArmedOnACallDoesNotExpireAtOnce() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().body("hello").build());
            Call call = limits.forBytes(Long.MAX_VALUE).arm(new OkHttpClient().newCall(
                    new Request.Builder().url(server.url("/")).build()));
            try (Response response = call.execute(); InputStream in = response.body().byteStream()) {
                assertArrayEquals("hello".getBytes(), in.readAllBytes());
            }
        }
    }
}
