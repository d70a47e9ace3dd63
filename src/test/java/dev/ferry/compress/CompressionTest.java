package dev.ferry.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.nativelib.IsalInflater;
import dev.ferry.testing.Layers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompressionTest {

    private static byte[] mixed(int size, long seed) {
        byte[] data = new byte[size];
        Random random = new Random(seed);
        for (int i = 0; i < size; i++) {
            data[i] = (byte) ((i / 4096) % 2 == 0 ? random.nextInt(256) : "layer text ".charAt(i % 11));
        }
        return data;
    }

    private static byte[] inflate(byte[] gz) throws IOException {
        try (InputStream in = Compression.GZIP.open(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void isaLIsUsedForGzipWhereTheTestScriptInstalledIt() {
        // scripts/test installs libisal2; without it gzip silently falls back to java.util.zip, which
        // is correct but slow, so the test run must say so by failing here.
        assertTrue(IsalInflater.available(), "libisal.so.2 did not load (apt-get install libisal2)");
        assertEquals("ISA-L (libisal.so.2)", Compression.gzipImplementation());
    }

    @Test
    void gzipRoundTripsLargeMixedContent() throws IOException {
        byte[] data = mixed(5 * 1024 * 1024 + 123, 1);
        assertArrayEquals(data, inflate(Layers.gzip(data)));
    }

    @Test
    void concatenatedGzipMembersAreReadAsOneStream() throws IOException {
        byte[] a = mixed(700_000, 2);
        byte[] b = mixed(300_000, 3);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(Layers.gzip(a));
        both.write(Layers.gzip(b));
        byte[] expected = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, expected, a.length, b.length);
        assertArrayEquals(expected, inflate(both.toByteArray()));
    }

    @Test
    void trailingBytesAfterTheGzipStreamAreNotPartOfTheContent() throws IOException {
        byte[] data = mixed(100_000, 4);
        byte[] gz = Layers.gzip(data);
        byte[] withTrailer = Arrays.copyOf(gz, gz.length + 10);
        assertArrayEquals(data, inflate(withTrailer));
    }

    @Test
    void aTruncatedGzipStreamFails() {
        byte[] gz = Layers.gzip(mixed(1_000_000, 5));
        byte[] truncated = Arrays.copyOf(gz, gz.length / 2);
        assertThrows(IOException.class, () -> inflate(truncated));
    }

    @Test
    void aCorruptedGzipStreamFails() {
        byte[] gz = Layers.gzip(mixed(1_000_000, 6));
        gz[gz.length / 2] ^= 0x55;
        gz[gz.length / 2 + 1] ^= 0x55;
        assertThrows(IOException.class, () -> inflate(gz));
    }

    @Test
    void aWrongCrcInTheTrailerFails() {
        byte[] gz = Layers.gzip(mixed(10_000, 7));
        gz[gz.length - 8] ^= 0x01; // first byte of the CRC32
        assertThrows(IOException.class, () -> inflate(gz));
    }

    @Test
    void zstdAndPlainStreamsAreDetectedByTheirMagicBytes() throws IOException {
        byte[] data = mixed(200_000, 8);
        byte[] zstd = Layers.zstd(data);
        assertEquals(Compression.ZSTD, Compression.detect(zstd, 4));
        assertEquals(Compression.GZIP, Compression.detect(Layers.gzip(data), 4));
        assertEquals(Compression.NONE, Compression.detect(Layers.tar(java.util.Map.of("a", "b")), 4));
        assertEquals(Compression.NONE, Compression.detect(new byte[] {0x1f}, 1));
        try (InputStream in = Compression.ZSTD.open(new ByteArrayInputStream(zstd))) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    /** What drain hands out, gathered; each view is copied during the call, as it is valid only then. */
    private static byte[] drained(Compression compression, byte[] compressed, int readFirst) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = compression.open(new ByteArrayInputStream(compressed))) {
            out.write(in.readNBytes(readFirst));
            Compression.drain(in, new byte[4096], view -> {
                byte[] chunk = new byte[view.remaining()];
                view.get(chunk);
                out.write(chunk, 0, chunk.length);
            });
        }
        return out.toByteArray();
    }

    @Test
    void drainingGivesTheSameBytesAsReadingWhateverWasReadBefore() throws IOException {
        byte[] a = mixed(3 * 1024 * 1024 + 17, 9);
        byte[] b = mixed(200_000, 10);
        ByteArrayOutputStream members = new ByteArrayOutputStream();
        members.write(Layers.gzip(a));
        members.write(Layers.gzip(b));
        byte[] expected = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, expected, a.length, b.length);
        for (int readFirst : new int[] {0, 1, 1024 * 1024 + 5}) {
            assertArrayEquals(expected, drained(Compression.GZIP, members.toByteArray(), readFirst));
            assertArrayEquals(a, drained(Compression.ZSTD, Layers.zstd(a), readFirst));
        }
    }

    @Test
    void drainingACorruptedGzipStreamFails() {
        byte[] gz = Layers.gzip(mixed(1_000_000, 11));
        gz[gz.length / 2] ^= 0x55;
        gz[gz.length / 2 + 1] ^= 0x55;
        assertThrows(IOException.class, () -> drained(Compression.GZIP, gz, 0));
    }
}
