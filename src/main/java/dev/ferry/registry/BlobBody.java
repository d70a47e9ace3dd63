package dev.ferry.registry;

import dev.ferry.http.StallWatchdog;
import java.io.FilterInputStream;
import java.io.IOException;
import okhttp3.Response;

/**
 * A blob's response body: tells the stall watchdog about every read, and names the registry and
 * blob when the connection fails or stalls halfway, as a failure to send the request does.
 */
final class BlobBody extends FilterInputStream {

    private final Response response;
    private final StallWatchdog.Handle watch;
    private final String registry;
    private final String subject;

    BlobBody(Response response, StallWatchdog.Handle watch, String registry, String subject) {
        super(response.body().byteStream());
        this.response = response;
        this.watch = watch;
        this.registry = registry;
        this.subject = subject;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            int n = super.read(b, off, len);
            watch.touch();
            return n;
        } catch (IOException e) {
            throw new RegistryUnreachableException(registry, "reading " + subject, watch.cause(e, "no data"));
        }
    }

    @Override
    public void close() {
        watch.close();
        response.close();
    }
}
