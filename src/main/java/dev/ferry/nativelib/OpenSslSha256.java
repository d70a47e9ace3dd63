package dev.ferry.nativelib;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * SHA-256 through OpenSSL's EVP API over the FFM API. The JDK's SHA-256 is fast only once the C2
 * compiler has compiled it (its SHA-NI intrinsic); OpenSSL is fast from the first byte, which lets
 * ferry run on the quick-starting C1 compiler alone. Usable only when libcrypto.so.3 loads and agrees
 * with the JDK on a self-test ({@link #available()}); the digest package adapts it to its Hasher.
 */
public final class OpenSslSha256 {

    private static final MethodHandle CTX_NEW;
    private static final MethodHandle CTX_FREE;
    private static final MethodHandle SHA256;
    private static final MethodHandle INIT;
    private static final MethodHandle UPDATE;
    private static final MethodHandle FINAL;
    private static final boolean AVAILABLE;
    private static final Cleaner CLEANER = Cleaner.create();

    static {
        MethodHandle ctxNew = null;
        MethodHandle ctxFree = null;
        MethodHandle sha256 = null;
        MethodHandle init = null;
        MethodHandle update = null;
        MethodHandle fin = null;
        boolean ok = false;
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup crypto = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
            ctxNew = linker.downcallHandle(crypto.findOrThrow("EVP_MD_CTX_new"), FunctionDescriptor.of(ValueLayout.ADDRESS));
            ctxFree = linker.downcallHandle(crypto.findOrThrow("EVP_MD_CTX_free"), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
            sha256 = linker.downcallHandle(crypto.findOrThrow("EVP_sha256"), FunctionDescriptor.of(ValueLayout.ADDRESS));
            init = linker.downcallHandle(crypto.findOrThrow("EVP_DigestInit_ex"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            // critical: the bytes are passed straight from the Java array, without a copy.
            update = linker.downcallHandle(crypto.findOrThrow("EVP_DigestUpdate"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                    Linker.Option.critical(true));
            fin = linker.downcallHandle(crypto.findOrThrow("EVP_DigestFinal_ex"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            ok = true;
        } catch (Throwable unavailable) {
            // No libcrypto.so.3, or native access denied: the JDK's SHA-256 serves.
        }
        CTX_NEW = ctxNew;
        CTX_FREE = ctxFree;
        SHA256 = sha256;
        INIT = init;
        UPDATE = update;
        FINAL = fin;
        AVAILABLE = ok && selfTest();
    }

    private final MemorySegment ctx;
    private final Cleaner.Cleanable cleanable;
    private boolean done;

    private OpenSslSha256() {
        try {
            MemorySegment context = (MemorySegment) CTX_NEW.invokeExact();
            if (context.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("EVP_MD_CTX_new failed");
            }
            if ((int) INIT.invokeExact(context, (MemorySegment) SHA256.invokeExact(), MemorySegment.NULL) != 1) {
                CTX_FREE.invokeExact(context);
                throw new IllegalStateException("EVP_DigestInit_ex failed");
            }
            this.ctx = context;
            // Frees the OpenSSL context of a hasher dropped before digest(), e.g. on a failed transfer.
            this.cleanable = CLEANER.register(this, () -> free(context));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether libcrypto.so.3 loaded here and passed the self-test. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** A fresh SHA-256 context; only when {@link #available()}. */
    public static OpenSslSha256 create() {
        if (!AVAILABLE) {
            throw new IllegalStateException("libcrypto.so.3 is not usable here");
        }
        return new OpenSslSha256();
    }

    private static void free(MemorySegment context) {
        try {
            CTX_FREE.invokeExact(context);
        } catch (Throwable ignored) {
            // nothing more can be done for a context that cannot be freed
        }
    }

    /**
     * FIPS 180-2's two-block test vector, given in two updates. A known answer rather than the
     * JDK's own hash of random bytes: at start-up that ran in the interpreter and cost every pull
     * more CPU time than the native calls it vouched for.
     */
    private static boolean selfTest() {
        try {
            byte[] data = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes(StandardCharsets.US_ASCII);
            OpenSslSha256 hasher = new OpenSslSha256();
            hasher.update(data, 0, 7);
            hasher.update(data, 7, data.length - 7);
            return Arrays.equals(hasher.finish(),
                    HexFormat.of().parseHex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
        } catch (Throwable e) {
            return false;
        }
    }

    public void update(byte[] bytes, int offset, int length) {
        update(MemorySegment.ofArray(bytes).asSlice(offset, length));
    }

    /** Hashes the bytes where they lie, in a Java array or in native memory (no copy either way). */
    public void update(MemorySegment bytes) {
        if (done) {
            throw new IllegalStateException("hasher already finished");
        }
        if (bytes.byteSize() == 0) {
            return;
        }
        try {
            if ((int) UPDATE.invokeExact(ctx, bytes, bytes.byteSize()) != 1) {
                throw new IllegalStateException("EVP_DigestUpdate failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The 32-byte hash of everything given so far; the context is freed and spent afterwards. */
    public byte[] finish() {
        if (done) {
            throw new IllegalStateException("hasher already finished");
        }
        done = true;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(32);
            if ((int) FINAL.invokeExact(ctx, out, MemorySegment.NULL) != 1) {
                throw new IllegalStateException("EVP_DigestFinal_ex failed");
            }
            return out.toArray(ValueLayout.JAVA_BYTE);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        } finally {
            cleanable.clean();
        }
    }
}
