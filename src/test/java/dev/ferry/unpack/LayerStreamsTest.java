package dev.ferry.unpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Layer blobs as registries serve them: gzip in several members, zstd with skippable frames, plain. */
class LayerStreamsTest {

    private static final byte[] TAR = new TarBuilder().file("a", "first").file("b", "second".repeat(1000)).bytes();

    @Test
    void concatenatedGzipMembersAreReadToTheEnd() throws IOException {
        int half = TAR.length / 2;
        byte[] blob = concat(gzip(Arrays.copyOfRange(TAR, 0, half)), gzip(Arrays.copyOfRange(TAR, half, TAR.length)));
        assertArrayEquals(TAR, read(blob));
    }

    @Test
    void zstdFramesAndSkippableFramesAnywhereAreRead() throws IOException {
        int half = TAR.length / 2;
        byte[] skippable = {0x5e, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 'e', 'x', 't'};
        byte[] blob = concat(skippable, zstd(Arrays.copyOfRange(TAR, 0, half)), skippable,
                zstd(Arrays.copyOfRange(TAR, half, TAR.length)), skippable);
        assertArrayEquals(TAR, read(blob));
    }

    @Test
    void anUncompressedTarPassesThrough() throws IOException {
        assertArrayEquals(TAR, read(TAR));
    }

    private static byte[] read(byte[] blob) throws IOException {
        try (InputStream in = LayerStreams.uncompressed(new ByteArrayInputStream(blob))) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] zstd(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
