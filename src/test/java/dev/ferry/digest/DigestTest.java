package dev.ferry.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DigestTest {

    private static final String HEX64 = "0123456789abcdef".repeat(4);
    private static final String HEX128 = HEX64 + HEX64;

    static Stream<Arguments> validDigests() {
        return Stream.of(
                Arguments.of("sha256:" + HEX64, "sha256", HEX64),
                Arguments.of("sha512:" + HEX128, "sha512", HEX128));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validDigests")
    void validDigestsSplitIntoAlgorithmAndHex(String text, String algorithm, String hex) {
        Digest digest = Digest.parse(text);
        assertEquals(algorithm, digest.algorithm());
        assertEquals(hex, digest.hex());
        assertEquals(text, digest.toString());
    }

    static Stream<Arguments> invalidDigests() {
        // input, a fragment the message must contain
        return Stream.of(
                Arguments.of("", "expected algorithm:hex"),
                Arguments.of("sha256", "expected algorithm:hex"),
                Arguments.of(HEX64, "expected algorithm:hex"),
                Arguments.of(":" + HEX64, "expected algorithm:hex"),
                Arguments.of("sha256:", "expected algorithm:hex"),
                Arguments.of("sha256:" + HEX64.toUpperCase(), "64 lowercase hex"),
                Arguments.of("sha256:" + HEX64.substring(1), "64 lowercase hex"),
                Arguments.of("sha256:" + HEX64 + "0", "64 lowercase hex"),
                Arguments.of("sha256:" + HEX128, "64 lowercase hex"),
                Arguments.of("sha512:" + HEX64, "128 lowercase hex"),
                Arguments.of("sha256:" + HEX64.substring(1) + "g", "64 lowercase hex"),
                Arguments.of("sha256:" + HEX64 + "\n", "64 lowercase hex"),
                Arguments.of("sha256:../../etc/passwd", "64 lowercase hex"),
                Arguments.of("sha256:" + "../".repeat(21) + "a", "64 lowercase hex"),
                Arguments.of("sha256:" + HEX64.substring(2) + "/x", "64 lowercase hex"),
                Arguments.of("md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported digest algorithm 'md5'"),
                Arguments.of("sha384:" + HEX64, "unsupported digest algorithm 'sha384'"),
                Arguments.of("SHA256:" + HEX64, "malformed digest algorithm"),
                Arguments.of("../sha256:" + HEX64, "malformed digest algorithm"),
                Arguments.of("sha 256:" + HEX64, "malformed digest algorithm"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDigests")
    void invalidDigestsAreRejectedWithTheReason(String text, String reason) {
        InvalidDigestException e = assertThrows(InvalidDigestException.class, () -> Digest.parse(text));
        assertTrue(e.getMessage().contains(reason), () -> "message '" + e.getMessage() + "' lacks '" + reason + "'");
    }

    @Test
    void aNullDigestIsRejected() {
        assertThrows(InvalidDigestException.class, () -> Digest.parse(null));
        assertThrows(InvalidDigestException.class, () -> new Digest(null, HEX64));
        assertThrows(InvalidDigestException.class, () -> new Digest("sha256", null));
    }

    @Test
    void theConstructorValidatesLikeParse() {
        assertThrows(InvalidDigestException.class, () -> new Digest("sha256", "../../etc/passwd"));
    }

    @Test
    void sha256OfBytesMatchesTheKnownValue() {
        // sha256("abc") from FIPS 180-2.
        assertEquals("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Digest.sha256("abc".getBytes(StandardCharsets.US_ASCII)).toString());
    }

    @Test
    void aHasherForABlobOfUnknownSizeGivesTheKnownValue() {
        // Unknown and large sizes go through OpenSSL where it loads; small ones through the JDK.
        Digest any = Digest.parse("sha256:" + HEX64);
        for (long expected : new long[] {-1, 3, 64L << 20}) {
            Hasher hasher = any.newHasher(expected);
            hasher.update("xabcx".getBytes(StandardCharsets.US_ASCII), 1, 3);
            assertEquals("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                    hasher.digest().toString(), "expected size " + expected);
        }
    }

    @Test
    void hashersTakeHeapAndDirectBuffersAsTheyTakeArrays() throws Exception {
        byte[] data = new byte[200_003];
        new java.util.Random(2).nextBytes(data);
        Digest expected = Digest.sha256(data);
        for (long size : new long[] {-1, 10}) { // the native hasher for blobs, the JDK's for small documents
            Hasher hasher = expected.newHasher(size);
            java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(100_000);
            direct.put(data, 0, 100_000).flip();
            hasher.update(direct);
            assertEquals(0, direct.remaining());
            java.nio.ByteBuffer heap = java.nio.ByteBuffer.wrap(data, 100_000, data.length - 100_000);
            hasher.update(heap);
            assertEquals(0, heap.remaining());
            assertEquals(expected, hasher.digest());
        }
    }

    @Test
    void computeOverUsesTheSameAlgorithm() {
        Digest sha512 = Digest.parse("sha512:" + HEX128);
        Digest computed = sha512.computeOver("abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals("sha512", computed.algorithm());
        assertTrue(computed.hex().startsWith("ddaf35a193617aba"), computed.hex());
    }

    @Test
    void shortHexIsTheFirstTwelveCharacters() {
        assertEquals("0123456789ab", Digest.parse("sha256:" + HEX64).shortHex());
    }

    @Test
    void digestsAreValuesOrderedByTheirText() {
        Digest a = Digest.parse("sha256:" + "a".repeat(64));
        Digest b = Digest.parse("sha256:" + "b".repeat(64));
        assertEquals(a, Digest.parse("sha256:" + "a".repeat(64)));
        assertNotEquals(a, b);
        assertTrue(a.compareTo(b) < 0);
        assertEquals(0, a.compareTo(Digest.parse(a.toString())));
    }
}
