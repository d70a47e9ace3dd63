package dev.ferry.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VerifyingInputStreamTest {

    private static final byte[] CONTENT = content(20_000);
    private static final Digest SHA256 = Digest.sha256(CONTENT);
    private static final String SUBJECT = "blob " + SHA256;

    private static byte[] content(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    private static VerifyingInputStream verifying(byte[] bytes, Digest expected, long size) {
        return new VerifyingInputStream(new ByteArrayInputStream(bytes), SUBJECT, expected, size);
    }

    @ParameterizedTest
    @ValueSource(longs = {20_000, -1})
    void passesTheBytesThroughAndIsVerifiedAtTheEnd(long size) throws IOException {
        try (VerifyingInputStream in = verifying(CONTENT, SHA256, size)) {
            assertArrayEquals(CONTENT, in.readAllBytes());
            assertTrue(in.verified());
            assertEquals(CONTENT.length, in.count());
        }
    }

    @Test
    void singleByteReadsAreHashedToo() throws IOException {
        try (VerifyingInputStream in = verifying(CONTENT, SHA256, CONTENT.length)) {
            int b;
            int i = 0;
            while ((b = in.read()) >= 0) {
                assertEquals(CONTENT[i++] & 0xff, b);
            }
            assertEquals(CONTENT.length, i);
            assertTrue(in.verified());
        }
    }

    @Test
    void skippedBytesAreStillHashed() throws IOException {
        try (VerifyingInputStream in = verifying(CONTENT, SHA256, CONTENT.length)) {
            in.skipNBytes(10_000);
            assertArrayEquals(Arrays.copyOfRange(CONTENT, 10_000, CONTENT.length), in.readAllBytes());
            assertTrue(in.verified());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void skippingNothingOrANegativeCountSkipsNothing(long n) throws IOException {
        try (VerifyingInputStream in = verifying(CONTENT, SHA256, CONTENT.length)) {
            assertEquals(0, in.skip(n));
            assertEquals(0, in.count());
            assertArrayEquals(CONTENT, in.readAllBytes());
            assertTrue(in.verified());
        }
    }

    @Test
    void aDigestMismatchFailsAtTheEndNamingTheSubject() throws IOException {
        byte[] tampered = CONTENT.clone();
        tampered[100] ^= 1;
        try (VerifyingInputStream in = verifying(tampered, SHA256, CONTENT.length)) {
            VerificationException e = assertThrows(VerificationException.class, in::readAllBytes);
            assertEquals(SUBJECT, e.subject());
            assertTrue(e.getMessage().startsWith(SUBJECT + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
            assertTrue(e.getMessage().contains("expected " + SHA256), e.getMessage());
            assertTrue(e.getMessage().contains("got " + Digest.sha256(tampered)), e.getMessage());
            assertFalse(in.verified());
        }
    }

    @Test
    void tooFewBytesFailAtTheEnd() throws IOException {
        byte[] shorter = Arrays.copyOf(CONTENT, 100);
        try (VerifyingInputStream in = verifying(shorter, Digest.sha256(shorter), 101)) {
            VerificationException e = assertThrows(VerificationException.class, in::readAllBytes);
            assertEquals(SUBJECT, e.subject());
            assertTrue(e.getMessage().contains("size mismatch: expected 101 bytes, got 100"), e.getMessage());
            assertFalse(in.verified());
        }
    }

    @Test
    void tooManyBytesFailAsSoonAsTheCountExceedsTheSize() throws IOException {
        // The digest matches the full content; only the size is wrong.
        try (VerifyingInputStream in = verifying(CONTENT, SHA256, 1000)) {
            byte[] buffer = new byte[600];
            assertEquals(600, in.read(buffer));
            VerificationException e = assertThrows(VerificationException.class, () -> in.read(buffer));
            assertTrue(e.getMessage().contains("size mismatch: expected 1000 bytes, got 1200 or more"),
                    e.getMessage());
            assertEquals(1200, in.count());
            assertFalse(in.verified());
        }
    }

    @Test
    void oneByteTooManyFailsBeforeTheEnd() {
        byte[] longer = Arrays.copyOf(CONTENT, CONTENT.length + 1);
        InputStream source = new ByteArrayInputStream(longer) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                if (pos >= count) {
                    throw new AssertionError("the stream was read to its end");
                }
                return super.read(b, off, len);
            }
        };
        VerifyingInputStream in = new VerifyingInputStream(source, SUBJECT, Digest.sha256(longer), CONTENT.length);
        assertThrows(VerificationException.class, in::readAllBytes);
    }

    @Test
    void aStreamClosedBeforeItsEndIsNotVerified() throws IOException {
        VerifyingInputStream in = verifying(CONTENT, SHA256, CONTENT.length);
        assertEquals(CONTENT.length - 1, in.readNBytes(CONTENT.length - 1).length);
        in.close();
        assertFalse(in.verified());
    }

    @Test
    void sha512DigestsAreVerified() throws IOException {
        Digest sha512 = Digest.parse("sha512:" + "0".repeat(128)).computeOver(CONTENT);
        try (VerifyingInputStream in = verifying(CONTENT, sha512, CONTENT.length)) {
            in.readAllBytes();
            assertTrue(in.verified());
        }
        byte[] tampered = CONTENT.clone();
        tampered[0] ^= 1;
        try (VerifyingInputStream in = verifying(tampered, sha512, CONTENT.length)) {
            VerificationException e = assertThrows(VerificationException.class, in::readAllBytes);
            assertTrue(e.getMessage().contains("expected sha512:"), e.getMessage());
        }
    }

    @Test
    void emptyContentVerifies() throws IOException {
        byte[] empty = new byte[0];
        try (VerifyingInputStream in = verifying(empty, Digest.sha256(empty), 0)) {
            assertEquals(-1, in.read());
            assertTrue(in.verified());
        }
    }

    @Test
    void readingAgainAfterTheEndStaysVerified() throws IOException {
        byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
        try (VerifyingInputStream in = verifying(text, Digest.sha256(text), text.length)) {
            in.readAllBytes();
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(new byte[4], 0, 4));
            assertTrue(in.verified());
        }
    }

    @Test
    void markIsNotSupported() {
        assertFalse(verifying(CONTENT, SHA256, -1).markSupported());
    }
}
