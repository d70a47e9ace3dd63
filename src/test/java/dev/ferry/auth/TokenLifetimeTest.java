package dev.ferry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ferry.testing.FakeRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How long a cached token is used, against a token endpoint on a fake registry and a clock we move. */
class TokenLifetimeTest {

    static final List<String> SCOPES = List.of("repository:apps/web:pull");

    FakeRegistry auth;
    MovableClock clock = new MovableClock();
    TokenService tokens;
    Challenge challenge;

    @BeforeEach
    void start() throws Exception {
        auth = FakeRegistry.start();
        tokens = new TokenService(new OkHttpClient(), clock);
        challenge = new Challenge("Bearer", Map.of("realm", auth.url("/token").toString(), "service", FakeRegistry.SERVICE));
    }

    @AfterEach
    void stop() {
        auth.close();
    }

    String token() throws Exception {
        return tokens.token(challenge, SCOPES, null, true);
    }

    @Test
    void aLongLivedTokenIsReusedUntilTenSecondsBeforeItExpires() throws Exception {
        auth.tokenExpiresIn = 300L;
        String first = token();

        clock.advance(Duration.ofSeconds(289));
        assertEquals(first, token());
        assertEquals(1, auth.count("/token"));

        clock.advance(Duration.ofSeconds(2));
        assertNotEquals(first, token());
        assertEquals(2, auth.count("/token"));
    }

    @Test
    void aTokenLivingShorterThanTheTenSecondMarginIsRefetchedBeforeItExpires() throws Exception {
        // A 10-second margin would leave a 5-second token no life at all; it is kept for 90% of it.
        auth.tokenExpiresIn = 5L;
        String first = token();

        clock.advance(Duration.ofMillis(4_400));
        assertEquals(first, token());

        clock.advance(Duration.ofMillis(200));
        String second = token();
        assertNotEquals(first, second);
        assertEquals(2, auth.count("/token"));
    }

    @Test
    void aTokenWithoutExpiresInLivesTheSpecsDefaultSixtySeconds() throws Exception {
        String first = token();

        clock.advance(Duration.ofSeconds(53));
        assertEquals(first, token());

        clock.advance(Duration.ofSeconds(2));
        assertNotEquals(first, token());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"9223372036854775807", "1e30",
            "99999999999999999999999999", "86400.5"})
    void anAbsurdlyLongExpiryIsCappedAtTwelveHours(String expiresIn) throws Exception {
        auth.on("/token", FakeRegistry.json(200, "{\"token\":\"long\",\"expires_in\":" + expiresIn + "}"));
        assertEquals("long", token());

        clock.advance(TokenService.MAX_LIFETIME.minusSeconds(11));
        token();
        assertEquals(1, auth.count("/token"), "cached for the capped lifetime");

        clock.advance(Duration.ofSeconds(2));
        token();
        assertEquals(2, auth.count("/token"), "fetched again once the capped lifetime is over");
    }

    @Test
    void tokensAreCachedPerScopeSetWhateverTheOrderOfTheScopes() throws Exception {
        String both = tokens.token(challenge, List.of("repository:a:pull", "repository:b:pull"), null, true);

        assertEquals(both, tokens.token(challenge, List.of("repository:b:pull", "repository:a:pull"), null, true));
        assertNotEquals(both, tokens.token(challenge, List.of("repository:a:pull"), null, true));
        assertEquals(2, auth.count("/token"));
    }

    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
