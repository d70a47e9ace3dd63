package dev.ferry.http;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Logs each HTTP exchange as method, URL, status and duration. Headers are never logged, and the
 * values of query parameters that look like secrets (pre-signed URL signatures, tokens) are
 * replaced, so a debug log can be pasted into a bug report.
 */
final class RequestLogger implements Interceptor {

    private static final Pattern SECRET = Pattern.compile(
            "(?i).*(sig|token|key|credential|secret|password|auth|session|policy).*");

    private final PrintStream out;

    RequestLogger(PrintStream out) {
        this.out = out;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        long start = System.nanoTime();
        String line = chain.request().method() + " " + redact(chain.request().url());
        try {
            Response response = chain.proceed(chain.request());
            out.printf(Locale.ROOT, "debug: %s -> %d (%d ms)%n", line, response.code(), (System.nanoTime() - start) / 1_000_000);
            return response;
        } catch (IOException e) {
            out.printf(Locale.ROOT, "debug: %s -> %s (%d ms)%n", line, e.getClass().getSimpleName(), (System.nanoTime() - start) / 1_000_000);
            throw e;
        }
    }

    static String redact(HttpUrl url) {
        if (url.querySize() == 0 && url.username().isEmpty()) {
            return url.toString();
        }
        HttpUrl.Builder b = url.newBuilder().username("").password("");
        for (String name : url.queryParameterNames()) {
            if (SECRET.matcher(name).matches()) {
                b.setQueryParameter(name, "REDACTED");
            }
        }
        return b.build().toString();
    }
}
