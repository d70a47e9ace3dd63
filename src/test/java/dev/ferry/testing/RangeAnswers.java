package dev.ferry.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/** Range requests as a test registry reads them, and the 206 answers a registry that honours them sends. */
public final class RangeAnswers {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private RangeAnswers() {
    }

    /** The first and last byte a request asks for, or null without a Range header; last is -1 for "to the end". */
    public static long[] range(RecordedRequest request) {
        String header = request.getHeaders().get("Range");
        if (header == null) {
            return null;
        }
        Matcher m = RANGE.matcher(header);
        assertTrue(m.matches(), header);
        return new long[] {Long.parseLong(m.group(1)), m.group(2).isEmpty() ? -1 : Long.parseLong(m.group(2))};
    }

    /** 206 with exactly the bytes of {@code blob} the request asks for. */
    public static MockResponse part(byte[] blob, RecordedRequest request) {
        long[] r = range(request);
        int first = (int) r[0];
        int last = r[1] < 0 ? blob.length - 1 : (int) r[1];
        return new MockResponse.Builder().code(206)
                .setHeader("Content-Range", "bytes " + first + "-" + last + "/" + blob.length)
                .body(new Buffer().write(Arrays.copyOfRange(blob, first, last + 1))).build();
    }
}
