package dev.ferry.compress;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.ferry.nativelib.IsalInflater;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * How a layer's bytes are compressed. Decided by the magic bytes of the stream: Docker's gzip media
 * type has carried plain tars in the wild, and containerd decides the same way.
 */
public enum Compression {
    GZIP(in -> IsalInflater.available() ? IsalInflater.open(in) : new GZIPInputStream(in, Compression.INFLATE_BUFFER)),
    ZSTD(ZstdInputStreamNoFinalizer::new),
    NONE(in -> in);

    /** java.util.zip inflates about a quarter faster with 64 KiB of input per call than with 512 B. */
    static final int INFLATE_BUFFER = 64 * 1024;

    private final Decompressor decompressor;

    Compression(Decompressor decompressor) {
        this.decompressor = decompressor;
    }

    /** Which implementation inflates gzip here: for --debug and the benchmarks. */
    public static String gzipImplementation() {
        return IsalInflater.available() ? "ISA-L (libisal.so.2)" : "java.util.zip";
    }

    /** The decompressor for this format; a faster implementation can be put in its place here. */
    public Decompressor decompressor() {
        return decompressor;
    }

    /** Detects the format from the first bytes of a stream (at least 4, fewer at end of stream). */
    public static Compression detect(byte[] head, int length) {
        if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return NONE;
    }

    /**
     * Reads a stream from {@link #open} to its end, each run of bytes to {@code sink} (valid only
     * during the call): ISA-L's output where it lies in native memory, any other through
     * {@code buffer}. For a consumer that only hashes, this spares a copy of every byte.
     */
    public static void drain(InputStream decompressed, byte[] buffer, Consumer<ByteBuffer> sink) throws IOException {
        if (IsalInflater.drain(decompressed, sink)) {
            return;
        }
        int n;
        while ((n = decompressed.read(buffer)) >= 0) {
            sink.accept(ByteBuffer.wrap(buffer, 0, n));
        }
    }

    /** Opens a decompressing stream over {@code compressed}. */
    public InputStream open(InputStream compressed) throws IOException {
        return decompressor.open(compressed);
    }
}
