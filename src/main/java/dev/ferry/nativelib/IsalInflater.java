package dev.ferry.nativelib;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * gzip through Intel's ISA-L (libisal.so.2, Debian's libisal2) over the FFM API: it inflates about
 * three times faster than zlib on this hardware, and inflate is what a verified pull spends its
 * time on. Usable only when the library loads and passes a self-test against java.util.zip;
 * otherwise {@link #available()} is false and the compress package inflates with java.util.zip.
 */
public final class IsalInflater {

    // struct inflate_state of ISA-L 2.x (soname 2): offsets fixed by that ABI, checked by the self-test.
    private static final long STATE_SIZE = 87368;
    private static final long NEXT_OUT = 0;
    private static final long AVAIL_OUT = 8;
    private static final long NEXT_IN = 16;
    private static final long AVAIL_IN = 32;
    private static final long BLOCK_STATE = 21160;
    private static final long CRC_FLAG = 21172;
    private static final int ISAL_GZIP = 1;
    private static final int ISAL_BLOCK_FINISH = 5;

    private static final MethodHandle INIT;
    private static final MethodHandle INFLATE;
    private static final boolean AVAILABLE;

    static {
        MethodHandle init = null;
        MethodHandle inflate = null;
        boolean ok = false;
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup isal = SymbolLookup.libraryLookup("libisal.so.2", Arena.global());
            init = linker.downcallHandle(isal.findOrThrow("isal_inflate_init"),
                    FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
            inflate = linker.downcallHandle(isal.findOrThrow("isal_inflate"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            ok = true;
        } catch (Throwable unavailable) {
            // No libisal2, or native access denied: java.util.zip serves.
        }
        INIT = init;
        INFLATE = inflate;
        AVAILABLE = ok && selfTest();
    }

    private IsalInflater() {
    }

    /** Whether libisal.so.2 loaded here and passed the self-test. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** Inflates a gzip stream (one or more members); only when {@link #available()}. */
    public static InputStream open(InputStream gzip) {
        if (!AVAILABLE) {
            throw new IllegalStateException("libisal.so.2 is not usable here");
        }
        return new Stream(gzip);
    }

    /**
     * Reads a stream from {@link #open} to its end, handing each run of inflated bytes to
     * {@code sink} where ISA-L wrote them (a view valid only during the call): a gigabyte layer that
     * is only hashed is then not copied into a Java array first. False, reading nothing, when
     * {@code inflated} is no such stream.
     */
    public static boolean drain(InputStream inflated, Consumer<ByteBuffer> sink) throws IOException {
        if (!(inflated instanceof Stream stream)) {
            return false;
        }
        stream.drain(sink);
        return true;
    }

    /** Compresses a known buffer with java.util.zip and checks that ISA-L gives it back. */
    private static boolean selfTest() {
        try {
            // Random bytes then text: literals and matches both. Small, as it runs at start-up in
            // the interpreter (300 KB made byte by byte cost a pull tens of milliseconds of CPU).
            byte[] data = new byte[64 * 1024];
            new Random(7).nextBytes(data);
            for (int i = data.length / 2; i < data.length; i++) {
                data[i] = (byte) ('a' + i % 7);
            }
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                out.write(data);
            }
            try (InputStream in = new Stream(new ByteArrayInputStream(gz.toByteArray()))) {
                return Arrays.equals(data, in.readAllBytes());
            }
        } catch (Throwable e) {
            return false;
        }
    }

    /** A gzip stream (one or more members) inflated by ISA-L, which also checks each member's CRC. */
    private static final class Stream extends InputStream {
        private static final int IN_SIZE = 256 * 1024;
        private static final int OUT_SIZE = 1024 * 1024;

        private final InputStream source;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment state;
        private final MemorySegment in;
        private final MemorySegment out;
        private final byte[] transfer = new byte[IN_SIZE];
        private int outPos;
        private int outLimit;
        private boolean sourceDone;
        private boolean finished;
        private boolean closed;

        Stream(InputStream source) {
            this.source = source;
            this.state = arena.allocate(STATE_SIZE, 64);
            this.in = arena.allocate(IN_SIZE, 64);
            this.out = arena.allocate(OUT_SIZE, 64);
            startMember(MemorySegment.NULL, 0);
        }

        private void startMember(MemorySegment nextIn, int availIn) {
            try {
                INIT.invokeExact(state);
            } catch (Throwable e) {
                throw new IllegalStateException("isal_inflate_init failed", e);
            }
            state.set(ValueLayout.JAVA_INT, CRC_FLAG, ISAL_GZIP);
            state.set(ValueLayout.ADDRESS, NEXT_IN, nextIn);
            state.set(ValueLayout.JAVA_INT, AVAIL_IN, availIn);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            if (len == 0) {
                return 0;
            }
            while (outPos == outLimit) {
                if (!fill()) {
                    return -1;
                }
            }
            int n = Math.min(len, outLimit - outPos);
            MemorySegment.copy(out, ValueLayout.JAVA_BYTE, outPos, b, off, n);
            outPos += n;
            return n;
        }

        void drain(Consumer<ByteBuffer> sink) throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            do {
                if (outPos < outLimit) {
                    sink.accept(out.asSlice(outPos, outLimit - outPos).asByteBuffer());
                    outPos = outLimit;
                }
            } while (fill());
        }

        /** Inflates into the output buffer; false at the end of the last member. */
        private boolean fill() throws IOException {
            if (finished) {
                return false;
            }
            state.set(ValueLayout.ADDRESS, NEXT_OUT, out);
            state.set(ValueLayout.JAVA_INT, AVAIL_OUT, OUT_SIZE);
            while (true) {
                if (state.get(ValueLayout.JAVA_INT, AVAIL_IN) == 0 && !sourceDone) {
                    int n = source.read(transfer, 0, IN_SIZE);
                    if (n < 0) {
                        sourceDone = true;
                    } else if (n > 0) {
                        MemorySegment.copy(transfer, 0, in, ValueLayout.JAVA_BYTE, 0, n);
                        state.set(ValueLayout.ADDRESS, NEXT_IN, in);
                        state.set(ValueLayout.JAVA_INT, AVAIL_IN, n);
                    }
                }
                int rc;
                try {
                    rc = (int) INFLATE.invokeExact(state);
                } catch (Throwable e) {
                    throw new IOException("isal_inflate failed", e);
                }
                if (rc < 0) {
                    throw new ZipException(rc == -6 ? "gzip CRC mismatch" : "invalid gzip data (ISA-L error " + rc + ")");
                }
                int produced = OUT_SIZE - state.get(ValueLayout.JAVA_INT, AVAIL_OUT);
                if (state.get(ValueLayout.JAVA_INT, BLOCK_STATE) == ISAL_BLOCK_FINISH && !nextMember()) {
                    finished = true;
                }
                if (produced > 0 || finished) {
                    outPos = 0;
                    outLimit = produced;
                    return produced > 0;
                }
                if (state.get(ValueLayout.JAVA_INT, AVAIL_IN) == 0 && sourceDone) {
                    throw new EOFException("unexpected end of gzip stream");
                }
                if (state.get(ValueLayout.JAVA_INT, AVAIL_OUT) == 0) {
                    return true;
                }
            }
        }

        /**
         * After a member ends: another member follows when the next bytes are a gzip header, as
         * GZIPInputStream reads concatenated members. Anything else is trailing data left unread.
         */
        private boolean nextMember() throws IOException {
            int availIn = state.get(ValueLayout.JAVA_INT, AVAIL_IN);
            MemorySegment nextIn = state.get(ValueLayout.ADDRESS, NEXT_IN).reinterpret(Math.max(availIn, 0));
            if (availIn < 2) {
                // Move what is left to the buffer start and top it up so the magic can be seen.
                byte[] left = availIn == 1 ? new byte[] {nextIn.get(ValueLayout.JAVA_BYTE, 0)} : new byte[0];
                int n = sourceDone ? -1 : source.readNBytes(transfer, 0, IN_SIZE - 1);
                if (n <= 0) {
                    sourceDone = n < 0 || n == 0;
                    return false;
                }
                MemorySegment.copy(left, 0, in, ValueLayout.JAVA_BYTE, 0, left.length);
                MemorySegment.copy(transfer, 0, in, ValueLayout.JAVA_BYTE, left.length, n);
                nextIn = in;
                availIn = left.length + n;
            }
            boolean gzip = (nextIn.get(ValueLayout.JAVA_BYTE, 0) & 0xff) == 0x1f
                    && (nextIn.get(ValueLayout.JAVA_BYTE, 1) & 0xff) == 0x8b;
            if (!gzip) {
                return false;
            }
            startMember(nextIn, availIn);
            return true;
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                arena.close();
                source.close();
            }
        }
    }
}
