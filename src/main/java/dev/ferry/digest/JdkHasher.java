package dev.ferry.digest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A {@link Hasher} over the JDK's MessageDigest. */
final class JdkHasher implements Hasher {

    private final String algorithm;
    private final MessageDigest md;

    JdkHasher(String algorithm) {
        this.algorithm = algorithm;
        try {
            this.md = MessageDigest.getInstance(switch (algorithm) {
                case "sha256" -> "SHA-256";
                case "sha512" -> "SHA-512";
                default -> throw new IllegalArgumentException(algorithm);
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks " + algorithm, e);
        }
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
        md.update(bytes, offset, length);
    }

    @Override
    public void update(ByteBuffer bytes) {
        md.update(bytes);
    }

    @Override
    public Digest digest() {
        return Digest.fromHash(algorithm, md.digest());
    }
}
