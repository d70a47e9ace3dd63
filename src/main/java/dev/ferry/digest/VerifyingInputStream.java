package dev.ferry.digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes bytes through while hashing and counting them, and fails on the read that reaches the
 * end when the size or digest differ from what was expected. Reading past the expected size fails
 * at once, so a lying server cannot make us store more than promised. A stream closed before its
 * end was never verified: callers treat only a stream read to EOF as verified.
 */
public final class VerifyingInputStream extends FilterInputStream {

    private final String subject;
    private final Digest expected;
    private final long expectedSize;
    private final Hasher hasher;
    private long count;
    private boolean verified;

    /**
     * @param expectedSize the exact size, or -1 when unknown (the digest still decides)
     */
    public VerifyingInputStream(InputStream in, String subject, Digest expected, long expectedSize) {
        super(in);
        this.subject = subject;
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.hasher = expected.newHasher(expectedSize);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            verifyAtEnd();
            return -1;
        }
        count += n;
        if (expectedSize >= 0 && count > expectedSize) {
            throw VerificationException.sizeMismatch(subject, expectedSize, count);
        }
        hasher.update(b, off, n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        // Skipped bytes must still be hashed.
        byte[] buffer = new byte[(int) Math.min(n, 8192)];
        int read = read(buffer, 0, buffer.length);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void verifyAtEnd() throws IOException {
        if (verified) {
            return;
        }
        if (expectedSize >= 0 && count != expectedSize) {
            throw VerificationException.sizeMismatch(subject, expectedSize, count);
        }
        Digest actual = hasher.digest();
        if (!actual.equals(expected)) {
            throw VerificationException.digestMismatch(subject, expected, actual);
        }
        verified = true;
    }

    /** True once the stream was read to its end and matched. */
    public boolean verified() {
        return verified;
    }

    public long count() {
        return count;
    }
}
