package dev.ferry.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A blob read in order while {@link RangeFetch} fetches its ranges ahead over several
 * connections, for an upload (copy), which must send the bytes in order. The ranges land in a
 * ring in a temporary file (unlinked at once: nothing stays behind a killed run) the size of the
 * fetch's window, and a range is fetched only when the reader has freed its place: disk and memory
 * stay bounded whatever the blob's size. Not verified here: the upload verifies what it reads.
 */
final class ReadAhead extends InputStream {

    private final RangeFetch fetch;
    private final FileChannel ring;
    private final long ringSize;
    /** Where the fetch started: ring slots count from here, as ranges do. */
    private final long from;
    private final long size;
    private long position;
    private long available;

    private ReadAhead(RangeFetch fetch, FileChannel ring, long ringSize, long from, long size) {
        this.fetch = fetch;
        this.ring = ring;
        this.ringSize = ringSize;
        this.from = from;
        this.size = size;
        this.position = from;
        this.available = from;
    }

    /**
     * Starts the fetch of the blob's bytes from {@code from} on into a ring of {@code ringSize}
     * bytes, a multiple of the range size.
     */
    static ReadAhead start(RangeFetch fetch, long ringSize, long from, long size) throws IOException {
        Path file = Files.createTempFile("ferry-ranges-", ".part",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } finally {
            Files.deleteIfExists(file);
        }
        ReadAhead reader = new ReadAhead(fetch, channel, ringSize, from, size);
        fetch.bound(ringSize);
        fetch.start(from, new dev.ferry.layout.BlobParts.Target() {
            @Override
            public void write(long at, ByteBuffer bytes) throws IOException {
                // A range never straddles the ring's end: ranges start at multiples of their size
                // past from, and their size divides the ring's.
                long slot = (at - from) % ringSize;
                while (bytes.hasRemaining()) {
                    slot += channel.write(bytes, slot);
                }
            }

            @Override
            public void filledTo(long end) {
                // nothing outlives the transfer: there is no resume to record for
            }
        });
        return reader;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (position >= size) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        if (position >= available) {
            available = Math.min(fetch.awaitFilled(position), size);
        }
        long slot = (position - from) % ringSize;
        int want = (int) Math.min(Math.min(len, available - position), ringSize - slot);
        int n = ring.read(ByteBuffer.wrap(b, off, want), slot);
        if (n <= 0) {
            throw new IOException("the temporary file of the read-ahead was shortened");
        }
        position += n;
        fetch.consumed(position);
        return n;
    }

    @Override
    public void close() throws IOException {
        try {
            fetch.close();
        } finally {
            ring.close();
        }
    }
}
