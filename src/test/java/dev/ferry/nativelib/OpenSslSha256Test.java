package dev.ferry.nativelib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OpenSslSha256Test {

    @Test
    void openSslIsUsedWhereTheTestMachineHasLibcrypto() {
        // Without libcrypto.so.3 SHA-256 silently falls back to the JDK: correct, but slow on C1.
        assertTrue(OpenSslSha256.available(), "libcrypto.so.3 did not load");
    }

    @Test
    void hashesTheSameAsTheJdkWhateverTheUpdateSizes() throws Exception {
        byte[] data = new byte[1_000_003];
        new Random(3).nextBytes(data);
        OpenSslSha256 sha = OpenSslSha256.create();
        sha.update(data, 0, 0);
        sha.update(data, 0, 1);
        sha.update(data, 1, 65_535);
        sha.update(data, 65_536, data.length - 65_536);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), sha.finish());
    }

    @Test
    void aFinishedContextRefusesMoreInput() {
        OpenSslSha256 sha = OpenSslSha256.create();
        sha.finish();
        assertThrows(IllegalStateException.class, () -> sha.update(new byte[1], 0, 1));
        assertThrows(IllegalStateException.class, sha::finish);
    }

    @Test
    void hashesNativeMemoryAsItHashesArrays() throws Exception {
        byte[] data = new byte[300_007];
        new Random(5).nextBytes(data);
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment offHeap = arena.allocate(data.length);
            java.lang.foreign.MemorySegment.copy(data, 0, offHeap, java.lang.foreign.ValueLayout.JAVA_BYTE, 0,
                    data.length);
            OpenSslSha256 sha = OpenSslSha256.create();
            sha.update(offHeap.asSlice(0, 100));
            sha.update(data, 100, 1000);
            sha.update(offHeap.asSlice(1100));
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), sha.finish());
        }
    }
}
