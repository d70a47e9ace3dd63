package dev.ferry.testing;

import com.github.luben.zstd.ZstdOutputStream;
import dev.ferry.digest.Digest;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Builds layer tars and their compressed forms in memory, for tests. */
public final class Layers {

    private Layers() {
    }

    /** A tar holding the given files (path -> content). */
    public static byte[] tar(Map<String, String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(content.length);
                entry.setModTime(0);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** {@code size} random (incompressible) bytes, seeded. */
    public static byte[] randomBytes(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** A tar of one file with {@code size} random (incompressible) bytes, seeded. */
    public static byte[] randomTar(long seed, int size) {
        byte[] content = randomBytes(seed, size);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry entry = new TarArchiveEntry("random-" + seed + ".bin");
            entry.setSize(size);
            entry.setModTime(0);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Writes a tar of one file with {@code size} random bytes, seeded, to {@code file} without
     * holding it in memory; returns the tar's digest.
     */
    public static Digest randomTar(long seed, long size, Path file) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new DigestOutputStream(
                new BufferedOutputStream(Files.newOutputStream(file), 1 << 20), sha256))) {
            TarArchiveEntry entry = new TarArchiveEntry("random-" + seed + ".bin");
            entry.setSize(size);
            entry.setModTime(0);
            tar.putArchiveEntry(entry);
            SplittableRandom random = new SplittableRandom(seed);
            byte[] chunk = new byte[1 << 20];
            for (long left = size; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                tar.write(chunk, 0, (int) Math.min(left, chunk.length));
            }
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Digest("sha256", HexFormat.of().formatHex(sha256.digest()));
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] zstd(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZstdOutputStream zs = new ZstdOutputStream(bytes)) {
            zs.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
