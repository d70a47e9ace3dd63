package dev.ferry.digest;

import dev.ferry.nativelib.OpenSslSha256;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** SHA-256 through OpenSSL: the {@link Hasher} face of {@link OpenSslSha256}. */
final class NativeHasher implements Hasher {

    private final OpenSslSha256 sha256 = OpenSslSha256.create();

    @Override
    public void update(byte[] bytes, int offset, int length) {
        sha256.update(bytes, offset, length);
    }

    /** Native memory is hashed where it lies: no copy into the heap first. */
    @Override
    public void update(ByteBuffer bytes) {
        sha256.update(MemorySegment.ofBuffer(bytes));
        bytes.position(bytes.limit());
    }

    @Override
    public Digest digest() {
        return Digest.fromHash("sha256", sha256.finish());
    }
}
