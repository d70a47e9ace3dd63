package dev.ferry.digest;

import java.nio.ByteBuffer;

/**
 * Computes a digest incrementally. SHA-256 goes through OpenSSL's libcrypto when it loads (see
 * {@link dev.ferry.nativelib.OpenSslSha256}), everything else through {@link java.security.MessageDigest}.
 */
public interface Hasher {

    void update(byte[] bytes, int offset, int length);

    /**
     * Hashes the remaining bytes of {@code bytes}, which may lie outside the Java heap (an
     * inflater's native output); consumes them.
     */
    default void update(ByteBuffer bytes) {
        if (bytes.hasArray()) {
            update(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            bytes.position(bytes.limit());
            return;
        }
        byte[] chunk = new byte[(int) Math.min(bytes.remaining(), 64 * 1024)];
        while (bytes.hasRemaining()) {
            int n = Math.min(chunk.length, bytes.remaining());
            bytes.get(chunk, 0, n);
            update(chunk, 0, n);
        }
    }

    /** The digest of everything given so far; the hasher is spent afterwards. */
    Digest digest();
}
