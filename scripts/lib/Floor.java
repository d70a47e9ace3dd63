import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

/**
 * This machine's floor for verifying a set of layer blobs: sha256 of the compressed bytes, inflate,
 * sha256 of the tar, N threads, largest blob first. No network, no writes. Prints seconds. SHA-256
 * runs through ferry's own hasher (OpenSSL where libcrypto loads), the fastest here.
 *
 *   java -cp target/ferry.jar scripts/lib/Floor.java THREADS zlib|best BLOB...
 *
 * zlib inflates gzip with java.util.zip; best with the fastest inflater on this machine, the one
 * ferry itself picks (ISA-L where libisal2 is installed).
 */
public class Floor {
    static boolean best;

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        best = args[1].equals("best");
        List<Path> blobs = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            blobs.add(Path.of(args[i]));
        }
        blobs.sort(Comparator.comparingLong((Path p) -> p.toFile().length()).reversed());
        // Warm the code paths once on the smallest blob, as a long-running process would be.
        verify(blobs.getLast());
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (Path blob : blobs) {
                futures.add(pool.submit(() -> verify(blob)));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        System.out.printf("%.3f%n", (System.nanoTime() - start) / 1e9);
    }

    static Void verify(Path blob) throws Exception {
        dev.ferry.digest.Hasher compressed = ANY_SHA256.newHasher();
        dev.ferry.digest.Hasher tar = ANY_SHA256.newHasher();
        byte[] buffer = new byte[1 << 20];
        try (InputStream raw = new Hashing(Files.newInputStream(blob), compressed)) {
            InputStream head = new java.io.BufferedInputStream(raw, 1 << 16);
            head.mark(4);
            byte[] magic = head.readNBytes(4);
            head.reset();
            boolean gzip = magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
            InputStream in = gzip && best ? dev.ferry.compress.Compression.GZIP.open(head)
                    : gzip ? new GZIPInputStream(head, 1 << 16)
                    : magic.length >= 4 && (magic[0] & 0xff) == 0x28 ? new ZstdInputStreamNoFinalizer(head) : head;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                tar.update(buffer, 0, n);
            }
            while (raw.read(buffer) >= 0) {
                // trailing bytes count for the compressed digest
            }
        }
        compressed.digest();
        tar.digest();
        return null;
    }

    static final dev.ferry.digest.Digest ANY_SHA256 = dev.ferry.digest.Digest.parse("sha256:" + "0".repeat(64));

    /** Hashes what is read through it. */
    static final class Hashing extends java.io.FilterInputStream {
        private final dev.ferry.digest.Hasher hasher;

        Hashing(InputStream in, dev.ferry.digest.Hasher hasher) {
            super(in);
            this.hasher = hasher;
        }

        @Override
        public int read() throws java.io.IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                hasher.update(b, off, n);
            }
            return n;
        }
    }
}
