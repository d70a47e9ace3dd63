package dev.ferry.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformTest {

    @ParameterizedTest(name = "{0}/{1}/{2} -> {3}")
    @CsvSource({
            // os,     arch,     variant,  normalized
            "linux,    amd64,    ,         linux/amd64",
            "linux,    x86_64,   ,         linux/amd64",
            "linux,    x86-64,   ,         linux/amd64",
            "linux,    amd64,    v1,       linux/amd64",
            "linux,    amd64,    v3,       linux/amd64/v3",
            "Linux,    AMD64,    ,         linux/amd64",
            "linux,    i386,     ,         linux/386",
            "linux,    i686,     ,         linux/386",
            "linux,    aarch64,  ,         linux/arm64/v8",
            "linux,    arm64,    ,         linux/arm64/v8",
            "linux,    arm64,    8,        linux/arm64/v8",
            "linux,    arm64,    v8,       linux/arm64/v8",
            "linux,    arm64,    V8,       linux/arm64/v8",
            "linux,    arm64,    v9,       linux/arm64/v9",
            "linux,    armhf,    ,         linux/arm/v7",
            "linux,    armel,    ,         linux/arm/v6",
            "linux,    arm,      ,         linux/arm/v7",
            "linux,    arm,      6,        linux/arm/v6",
            "linux,    arm,      v5,       linux/arm/v5",
            "linux,    s390x,    ,         linux/s390x",
            "windows,  amd64,    ,         windows/amd64",
    })
    void spellingsSeenInTheWildAreNormalized(String os, String arch, String variant, String expected) {
        assertEquals(expected, new Platform(os, arch, variant).normalized().toString());
    }

    @Test
    void anEmptyVariantIsTheSameAsNone() {
        assertEquals(new Platform("linux", "amd64", null).normalized(), new Platform("linux", "amd64", "").normalized());
    }

    @Test
    void normalizingKeepsOsVersionAndFeatures() {
        Platform windows = new Platform("amd64", "windows", null, "10.0.17763.1234", List.of("win32k"));
        Platform normalized = windows.normalized();
        assertEquals("10.0.17763.1234", normalized.osVersion());
        assertEquals(List.of("win32k"), normalized.osFeatures());
    }

    @Test
    void theThreeArgumentConstructorTakesOsFirst() {
        Platform p = new Platform("linux", "arm", "v7");
        assertEquals("linux", p.os());
        assertEquals("arm", p.architecture());
        assertEquals("v7", p.variant());
    }

    @ParameterizedTest(name = "{0} accepts {1}: {2}")
    @CsvSource({
            // wanted,            candidate,          matches
            "linux/arm64,         linux/arm64/v8,     true",
            "linux/arm64/v8,      linux/arm64,        true",
            "linux/aarch64,       linux/arm64,        true",
            "linux/amd64,         linux/x86_64,       true",
            "linux/amd64,         linux/amd64/v3,     true",
            "linux/amd64/v3,      linux/amd64,        false",
            "linux/arm,           linux/arm/v7,       true",
            "linux/armhf,         linux/arm/v7,       true",
            "linux/arm/v7,        linux/arm,          true",
            "linux/arm/v7,        linux/arm/v6,       false",
            "linux/amd64,         windows/amd64,      false",
            "linux/amd64,         linux/arm64,        false",
            "linux/amd64,         unknown/unknown,    false",
    })
    void matchingComparesNormalizedPlatforms(String wanted, String candidate, boolean matches) {
        assertEquals(matches, platform(wanted).matches(platform(candidate)));
    }

    @Test
    void hostPlatformIsLinuxAndNormalized() {
        Platform host = Platform.host();
        assertEquals("linux", host.os());
        assertEquals(host, host.normalized());
        assertFalse(host.architecture().isEmpty());
    }

    @Test
    void toStringLeavesOutAMissingVariant() {
        assertEquals("linux/amd64", new Platform("linux", "amd64", null).toString());
        assertEquals("linux/amd64", new Platform("linux", "amd64", "").toString());
        assertEquals("linux/arm/v6", new Platform("linux", "arm", "v6").toString());
        assertTrue(new Platform("linux", "arm", "v6").matches(new Platform("linux", "arm", "v6")));
    }

    static Platform platform(String text) {
        String[] parts = text.split("/");
        return new Platform(parts[0], parts[1], parts.length > 2 ? parts[2] : null);
    }
}
