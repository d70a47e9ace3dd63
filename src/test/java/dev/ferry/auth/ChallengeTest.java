package dev.ferry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChallengeTest {

    private static Challenge only(String header) {
        List<Challenge> challenges = Challenge.parse(List.of(header));
        assertEquals(1, challenges.size(), () -> "challenges in " + header + ": " + challenges);
        return challenges.getFirst();
    }

    static Stream<Arguments> singleChallenges() {
        // header, scheme, params
        return Stream.of(
                Arguments.of("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                        + "scope=\"repository:library/alpine:pull\"", "bearer",
                        Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
                                "scope", "repository:library/alpine:pull")),
                Arguments.of("Bearer realm=\"https://r.example/token\",scope=\"repository:a:pull,push\"", "bearer",
                        Map.of("realm", "https://r.example/token", "scope", "repository:a:pull,push")),
                Arguments.of("Bearer realm=\"x\", scope=\"repository:a:pull repository:b:pull\"", "bearer",
                        Map.of("realm", "x", "scope", "repository:a:pull repository:b:pull")),
                Arguments.of("Basic realm=\"registry\"", "basic", Map.of("realm", "registry")),
                Arguments.of("Basic realm=\"say \\\"hi\\\" \\\\ back\"", "basic", Map.of("realm", "say \"hi\" \\ back")),
                Arguments.of("BEARER REALM=\"x\",Service=\"y\"", "bearer", Map.of("realm", "x", "service", "y")),
                Arguments.of("bearer realm=https://auth.example.com/token,service=registry.example.com", "bearer",
                        Map.of("realm", "https://auth.example.com/token", "service", "registry.example.com")),
                Arguments.of("Bearer  realm = \"x\" ,  service = \"y\"  ", "bearer", Map.of("realm", "x", "service", "y")),
                Arguments.of("Bearer realm=\"\"", "bearer", Map.of("realm", "")),
                Arguments.of("Bearer realm=\"x\",,,service=\"y\",", "bearer", Map.of("realm", "x", "service", "y")),
                Arguments.of("Basic", "basic", Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleChallenges")
    void oneChallengeIsParsedIntoSchemeAndParams(String header, String scheme, Map<String, String> params) {
        Challenge challenge = only(header);
        assertEquals(scheme, challenge.scheme());
        assertEquals(params, challenge.params());
    }

    @Test
    void oneHeaderMayHoldSeveralChallenges() {
        List<Challenge> challenges = Challenge.parse(List.of("Bearer realm=\"x\",service=\"y\", Basic realm=\"z\""));
        assertEquals(2, challenges.size(), challenges::toString);
        assertTrue(challenges.get(0).isBearer());
        assertEquals(Map.of("realm", "x", "service", "y"), challenges.get(0).params());
        assertTrue(challenges.get(1).isBasic());
        assertEquals(Map.of("realm", "z"), challenges.get(1).params());
    }

    @Test
    void aChallengeWithoutParamsIsFollowedByTheNextOne() {
        List<Challenge> challenges = Challenge.parse(List.of("Negotiate, Basic realm=\"z\""));
        assertEquals(List.of("negotiate", "basic"), challenges.stream().map(Challenge::scheme).toList());
        assertEquals("z", challenges.get(1).param("realm"));
    }

    @Test
    void aToken68ChallengeDoesNotHideTheBearerOne() {
        List<Challenge> bearers = Challenge.parse(List.of("Negotiate YIIabc==, Bearer realm=\"x\",service=\"y\""))
                .stream().filter(Challenge::isBearer).toList();
        assertEquals(1, bearers.size());
        assertEquals(Map.of("realm", "x", "service", "y"), bearers.getFirst().params());
    }

    @Test
    void challengesFromSeveralHeaderValuesAreKeptInOrder() {
        List<Challenge> challenges = Challenge.parse(List.of(
                "Basic realm=\"basic-realm\"",
                "Bearer realm=\"https://auth.example/token\",service=\"example\""));
        assertEquals(List.of("basic", "bearer"), challenges.stream().map(Challenge::scheme).toList());
        assertEquals("basic-realm", challenges.get(0).param("realm"));
        assertEquals("https://auth.example/token", challenges.get(1).param("realm"));
        assertEquals("example", challenges.get(1).param("service"));
    }

    @Test
    void noHeadersMeanNoChallenges() {
        assertEquals(List.of(), Challenge.parse(List.of()));
        assertEquals(List.of(), Challenge.parse(List.of("", "  ", ",")));
    }

    @Test
    void schemeAndParamNamesAreLowercasedButValuesAreNot() {
        Challenge challenge = only("BeArEr ReAlM=\"HTTPS://Auth.Example/Token\"");
        assertTrue(challenge.isBearer());
        assertFalse(challenge.isBasic());
        assertEquals("HTTPS://Auth.Example/Token", challenge.param("realm"));
        assertEquals(null, challenge.param("ReAlM"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"", "\"\"\"", "=", "=====", "Bearer =", "Bearer realm=", "Bearer realm=\"unterminated",
            "Bearer realm=\"x\\", "realm=\"x\"", "@@@ ### ;;;", "Bearer realm=\"x\" garbage \"", "\\", "\u0000\u0001",
            "Négociation réalm=\"é\"", "Bearer ,=,=,=\"", ",,,,,,"
    })
    void garbageNeitherThrowsNorLoopsForever(String header) {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> Challenge.parse(List.of(header)));
    }

    @Test
    void anUnterminatedQuotedValueRunsToTheEnd() {
        assertEquals("https://auth/token", only("Bearer realm=\"https://auth/token").param("realm"));
    }

    @Test
    void paramsAreImmutable() {
        Challenge challenge = only("Bearer realm=\"x\"");
        assertThrows(UnsupportedOperationException.class,
                () -> challenge.params().put("realm", "y"));
    }
}
