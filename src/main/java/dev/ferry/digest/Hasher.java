package dev.ferry.digest;

/**
 * Computes a digest incrementally. SHA-256 goes through OpenSSL's libcrypto when it loads (see
 * {@link dev.ferry.nativelib.OpenSslSha256}), everything else through {@link java.security.MessageDigest}.
 */
public interface Hasher {

    void update(byte[] bytes, int offset, int length);

    /** The digest of everything given so far; the hasher is spent afterwards. */
    Digest digest();
}
