package dev.ferry.transfer;

import dev.ferry.compress.Compression;
import dev.ferry.compress.HashedTar;
import dev.ferry.digest.Digest;
import dev.ferry.digest.VerificationException;
import dev.ferry.manifest.Descriptor;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Checks a layer's diff_id while it streams to a destination that does not decompress (a
 * registry, with {@code --verify-diff-ids}): the bytes read are also piped to a thread that
 * inflates and hashes them, and the end of the stream is reported only once the diff_id matched,
 * so a consumer that sends the last bytes at the end sends none of a wrong layer.
 */
final class DiffIdCheck extends FilterInputStream {

    private static final int PIPE_BYTES = 1024 * 1024;

    private final Descriptor blob;
    private final Digest diffId;
    private final PipedOutputStream pipe;
    private final Thread inflater;
    private final AtomicReference<Object> outcome = new AtomicReference<>();
    private boolean ended;

    private DiffIdCheck(InputStream in, Descriptor blob, Digest diffId) throws IOException {
        super(in);
        this.blob = blob;
        this.diffId = diffId;
        PipedInputStream inflated = new PipedInputStream(PIPE_BYTES);
        this.pipe = new PipedOutputStream(inflated);
        this.inflater = Thread.ofPlatform().daemon().name("ferry-diff-id").start(() -> outcome.set(hash(inflated)));
    }

    static InputStream wrap(InputStream in, Descriptor blob, Digest diffId) throws IOException {
        return new DiffIdCheck(in, blob, diffId);
    }

    /** The tar's digest, or the failure; always reads the pipe to its end so the writer never blocks. */
    private Object hash(PipedInputStream inflated) {
        try (PipedInputStream source = inflated) {
            BufferedInputStream buffered = new BufferedInputStream(source, 64 * 1024);
            buffered.mark(4);
            byte[] head = buffered.readNBytes(4);
            buffered.reset();
            Compression compression = Compression.detect(head, head.length);
            Object result;
            try (HashedTar tar = new HashedTar(compression.open(new FilterInputStream(buffered) {
                @Override
                public void close() {
                }
            }), diffId.newHasher())) {
                tar.drain();
                result = tar.digest();
            } catch (IOException e) {
                result = new VerificationException("layer " + blob.digest(), "cannot decompress it as "
                        + compression.name().toLowerCase(Locale.ROOT) + ": " + e.getMessage());
            }
            byte[] buffer = new byte[64 * 1024];
            while (buffered.read(buffer) >= 0) {
                // trailing bytes the decompressor left: the writer must be able to finish
            }
            return result;
        } catch (IOException e) {
            return e;
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            pipe.write(b, off, n);
        } else if (n < 0 && !ended) {
            ended = true;
            check();
        }
        return n;
    }

    private void check() throws IOException {
        pipe.close();
        try {
            inflater.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        switch (outcome.get()) {
            case Digest actual when actual.equals(diffId) -> {
            }
            case Digest actual -> throw new VerificationException("layer " + blob.digest(),
                    "diff_id mismatch: the config says " + diffId + ", the uncompressed layer is " + actual);
            case IOException e -> throw e;
            default -> throw new IllegalStateException("no diff_id outcome");
        }
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 65536)];
        return Math.max(read(buffer, 0, buffer.length), 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() throws IOException {
        try {
            pipe.close();
        } finally {
            super.close();
        }
    }
}
