package dev.ferry.registry;

import dev.ferry.http.StallWatchdog;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * The next {@code length} bytes of a blob's source stream as a request body, sent once. When the
 * chunk ends the blob, the source is read to its end before the last bytes go out: a verifying
 * source fails there on a digest or size mismatch, so the registry never receives a complete body
 * of wrong bytes.
 */
final class UploadBody extends RequestBody {

    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
    private static final int BUFFER = 256 * 1024;

    private final InputStream source;
    private final long length;
    private final boolean last;
    private final LongConsumer progress;
    private boolean written;
    private volatile StallWatchdog.Handle watch;

    UploadBody(InputStream source, long length, boolean last, LongConsumer progress) {
        this.source = source;
        this.length = length;
        this.last = last;
        this.progress = progress;
    }

    /** The stall watch of the call sending this body: every write shows progress. */
    void watchedBy(StallWatchdog.Handle handle) {
        this.watch = handle;
    }

    /** A failure of the source, told apart from one of the destination after the call threw it. */
    static final class SourceFailure extends IOException {
        SourceFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        IOException source() {
            return (IOException) getCause();
        }
    }

    @Override
    public MediaType contentType() {
        return OCTET_STREAM;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public boolean isOneShot() {
        return true;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        if (written) {
            throw new IOException("an upload body cannot be sent twice");
        }
        written = true;
        byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(length, 1))];
        long remaining = length;
        if (remaining == 0 && last) {
            endOfSource(); // an empty blob is verified too
        }
        while (remaining > 0) {
            int n = read(buffer, (int) Math.min(buffer.length, remaining));
            remaining -= n;
            if (remaining == 0 && last) {
                endOfSource();
            }
            sink.write(buffer, 0, n);
            StallWatchdog.Handle handle = watch;
            if (handle != null) {
                handle.touch();
            }
            progress.accept(n);
        }
    }

    private int read(byte[] buffer, int max) throws IOException {
        try {
            int n = source.read(buffer, 0, max);
            if (n < 0) {
                throw new EOFException("the source ended before the size its descriptor states");
            }
            return n;
        } catch (IOException e) {
            throw new SourceFailure(e);
        }
    }

    private void endOfSource() throws IOException {
        try {
            if (source.read() != -1) {
                throw new IOException("the source holds more bytes than its descriptor states");
            }
        } catch (IOException e) {
            throw new SourceFailure(e);
        }
    }
}
