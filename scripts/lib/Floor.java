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
 * sha256 of the tar, N threads, largest blob first. No network, no writes. Prints seconds. The
 * blobs are verified as ferry verifies them (VerifyingInputStream, SHA-256 through OpenSSL where
 * libcrypto loads, the fastest here).
 *
 *   java -cp target/ferry.jar scripts/lib/Floor.java THREADS zlib|best|hash BLOB...
 *
 * zlib inflates gzip with java.util.zip; best with the fastest inflater on this machine, the one
 * ferry itself picks (ISA-L where libisal2 is installed); hash only hashes the compressed bytes,
 * which is all a copy that does not decompress (skopeo's) has to do. With one thread the seconds
 * printed are the CPU seconds of that work.
 */
public class Floor {
    static boolean best;
    static boolean hashOnly;

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        best = args[1].equals("best");
        hashOnly = args[1].equals("hash");
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
        // The registry stores a blob as .../sha256/<hex>/data: its digest is in its path.
        dev.ferry.digest.Digest digest = dev.ferry.digest.Digest.parse("sha256:" + blob.getParent().getFileName());
        dev.ferry.digest.Hasher tar = digest.newHasher();
        byte[] buffer = new byte[1 << 20];
        try (InputStream raw = new dev.ferry.digest.VerifyingInputStream(Files.newInputStream(blob), "blob " + blob,
                digest, Files.size(blob))) {
            if (hashOnly) {
                while (raw.read(buffer) >= 0) {
                    // the digest and size are checked at the end
                }
                return null;
            }
            InputStream head = new java.io.BufferedInputStream(raw, 1 << 16);
            head.mark(4);
            byte[] magic = head.readNBytes(4);
            head.reset();
            boolean gzip = magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
            InputStream in = gzip && best ? dev.ferry.compress.Compression.GZIP.open(head)
                    : gzip ? new GZIPInputStream(head, 1 << 16)
                    : magic.length >= 4 && (magic[0] & 0xff) == 0x28 ? new ZstdInputStreamNoFinalizer(head) : head;
            // As ferry hashes the tar: ISA-L's output where it lies, without a copy into the heap.
            dev.ferry.compress.Compression.drain(in, buffer, tar::update);
            while (head.read(buffer) >= 0) {
                // trailing bytes count for the compressed digest, checked at the end
            }
        }
        tar.digest();
        return null;
    }
}
