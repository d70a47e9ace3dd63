package dev.ferry.compress;

import dev.ferry.digest.Digest;
import dev.ferry.digest.Hasher;
import dev.ferry.digest.VerificationException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A layer's uncompressed tar, hashed for its diff_id as it is read. The diff_id covers the stream
 * to its very end, past the tar's end-of-archive blocks, so a reader that stops at the tar's end
 * finishes with {@link #drain()} or {@link #drainPadding(String)} before it asks for the
 * {@link #digest()}.
 */
public final class HashedTar extends FilterInputStream {

    private static final int BUFFER = 64 * 1024;

    private final Hasher hasher;

    /** @param uncompressed a stream from {@link Compression#open}, so that {@link #drain()} may hash in place */
    public HashedTar(InputStream uncompressed, Hasher hasher) {
        super(uncompressed);
        this.hasher = hasher;
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
            hasher.update(b, off, n);
        }
        return n;
    }

    /** Skipped bytes are read and hashed all the same: the diff_id covers them. */
    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), BUFFER)];
        return Math.max(read(buffer, 0, buffer.length), 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Hashes the rest of the stream to its end, in the inflater's native memory where it lies there. */
    public void drain() throws IOException {
        Compression.drain(in, new byte[BUFFER], hasher::update);
    }

    /** After the tar's end only zero blocks may follow: anything else is data the tree would not show. */
    public void drainPadding(String subject) throws IOException {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = read(buffer, 0, buffer.length)) >= 0) {
            for (int i = 0; i < n; i++) {
                if (buffer[i] != 0) {
                    throw new VerificationException(subject, "holds data after the tar's end");
                }
            }
        }
    }

    /** The digest of every byte read; call it once, at the end. */
    public Digest digest() {
        return hasher.digest();
    }
}
