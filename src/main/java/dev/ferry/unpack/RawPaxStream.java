package dev.ferry.unpack;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * commons-compress's tar reader, plus the raw bytes of each entry's PAX xattr records: it decodes
 * PAX values as UTF-8 text, which mangles binary values such as security.capability. The headers
 * an entry's {@code next()} read are kept (bounded) and its 'x' record is parsed again as bytes.
 */
final class RawPaxStream {

    private static final int BLOCK = 512;
    /** PAX records beyond this are not re-read raw; their xattrs keep commons-compress's text. */
    private static final int MAX_RECORDED = 1 << 20;

    private final Tap tap;
    private final TarArchiveInputStream tar;
    private final byte[] drain = new byte[64 * 1024];
    private Map<String, byte[]> rawXattrs = Map.of();

    RawPaxStream(InputStream in) {
        this.tap = new Tap(in);
        // Blocks of one record: at its end the reader consumes no more than the end-of-archive
        // records, so what follows them is left for the caller to check (a 10240-byte block would
        // swallow up to 8 KiB of trailing bytes unseen).
        this.tar = new TarArchiveInputStream(tap, BLOCK, BLOCK, "UTF-8");
    }

    /** The next entry, or null at the tar's end. */
    TarArchiveEntry next() throws IOException {
        while (tar.getCurrentEntry() != null && tar.read(drain) >= 0) {
            // the rest of the last entry's content: not part of the next entry's headers
        }
        long start = tap.offset;
        tap.recording = new ByteArrayOutputStream();
        TarArchiveEntry entry;
        try {
            entry = tar.getNextEntry();
        } finally {
            ByteArrayOutputStream recorded = tap.recording;
            tap.recording = null;
            rawXattrs = recorded != null && recorded.size() <= MAX_RECORDED
                    ? parse(recorded.toByteArray(), start) : Map.of();
        }
        return entry;
    }

    /** The current entry's content. */
    InputStream content() {
        return tar;
    }

    /** The current entry's xattr values as its PAX record holds them, by xattr name. */
    Map<String, byte[]> rawXattrs() {
        return rawXattrs;
    }

    /** Walks the header blocks in {@code bytes} (read from stream offset {@code start}) to an 'x' record. */
    private static Map<String, byte[]> parse(byte[] bytes, long start) {
        int at = (int) ((BLOCK - start % BLOCK) % BLOCK);
        Map<String, byte[]> xattrs = new HashMap<>();
        while (at + BLOCK <= bytes.length) {
            byte type = bytes[at + 156];
            long size = size(bytes, at + 124);
            int payload = at + BLOCK;
            if (size < 0 || size > bytes.length - payload) {
                break;
            }
            if (type == 'x') {
                records(bytes, payload, payload + (int) size, xattrs);
            } else if (type != 'g' && type != 'L' && type != 'K') {
                break;
            }
            at = payload + (int) ((size + BLOCK - 1) / BLOCK * BLOCK);
        }
        return xattrs;
    }

    /** PAX records: "LENGTH KEY=VALUE\n", LENGTH counting the whole record in bytes. */
    private static void records(byte[] b, int from, int to, Map<String, byte[]> xattrs) {
        int at = from;
        while (at < to) {
            int space = at;
            long length = 0;
            while (space < to && b[space] >= '0' && b[space] <= '9' && length < Integer.MAX_VALUE) {
                length = length * 10 + (b[space++] - '0');
            }
            if (space >= to || b[space] != ' ' || length <= space - at || at + length > to) {
                return;
            }
            int end = (int) (at + length) - 1; // the record's newline
            int equals = space + 1;
            while (equals < end && b[equals] != '=') {
                equals++;
            }
            String key = new String(b, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            if (equals < end && key.startsWith(NodeMetadata.XATTR_PREFIX)) {
                byte[] value = new byte[end - equals - 1];
                System.arraycopy(b, equals + 1, value, 0, value.length);
                xattrs.put(key.substring(NodeMetadata.XATTR_PREFIX.length()), value);
            }
            at += (int) length;
        }
    }

    /** A header's size field: octal text, or base-256 when the top bit of the first byte is set. */
    private static long size(byte[] b, int at) {
        if ((b[at] & 0x80) != 0) {
            long v = 0;
            for (int i = 1; i < 12; i++) {
                if (v > (Long.MAX_VALUE >> 8)) {
                    return -1;
                }
                v = (v << 8) | (b[at + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        for (int i = 0; i < 12; i++) {
            byte c = b[at + i];
            if (c >= '0' && c <= '7') {
                v = v * 8 + (c - '0');
            } else if (c != ' ' && c != 0) {
                return -1;
            }
        }
        return v;
    }

    /** Counts every byte the tar reader takes, and keeps them while recording (up to the bound). */
    private static final class Tap extends FilterInputStream {
        long offset;
        ByteArrayOutputStream recording;

        Tap(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                taken(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                taken(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[(int) Math.min(n, 8192)];
            int read = read(scratch, 0, scratch.length);
            return Math.max(read, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void taken(byte[] b, int off, int n) {
            offset += n;
            if (recording != null) {
                if (recording.size() + n > MAX_RECORDED + BLOCK) {
                    recording = null;
                } else {
                    recording.write(b, off, n);
                }
            }
        }
    }
}
