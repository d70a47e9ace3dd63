package dev.ferry.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;

/** Answers for a blob whose body breaks off and is asked for again from an offset. */
public final class BrokenBodies {

    private BrokenBodies() {
    }

    /** The whole blob with 200; the connection is dropped partway through the body. */
    public static MockResponse cutHalfway(byte[] blob) {
        return new MockResponse.Builder().body(new Buffer().write(blob))
                .onResponseBody(new SocketEffect.CloseSocket(true, true, true)).build();
    }

    /** The whole blob with 200, as a registry that ignores {@code Range} sends it. */
    public static MockResponse whole(byte[] blob) {
        return new MockResponse.Builder().body(new Buffer().write(blob)).build();
    }

    /** 206 with {@code bytes} from the offset the request asks for on. */
    public static MockResponse rest(RecordedRequest request, byte[] bytes) {
        int from = rangeStart(request);
        return new MockResponse.Builder().code(206)
                .setHeader("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length)
                .body(new Buffer().write(Arrays.copyOfRange(bytes, from, bytes.length))).build();
    }

    /** The offset a request asks for with {@code Range: bytes=N-}, or -1 without a Range header. */
    public static int rangeStart(RecordedRequest request) {
        String range = request.getHeaders().get("Range");
        if (range == null) {
            return -1;
        }
        assertTrue(range.matches("bytes=\\d+-"), range);
        return Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
    }

    /** Answers the requests for {@code path} in turn: the i-th request gets the i-th answer, the last one thereafter. */
    @SafeVarargs
    public static void inTurn(FakeRegistry registry, String path, Function<RecordedRequest, MockResponse>... answers) {
        AtomicLong count = new AtomicLong();
        registry.on(path, request -> answers[(int) Math.min(count.getAndIncrement(), answers.length - 1)].apply(request));
    }
}
