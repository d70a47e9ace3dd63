package dev.ferry.http;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;

/**
 * The time one exchange may take in all, enforced as OkHttp's call timeout: it spans connecting,
 * informational responses, the headers and reading the body to its end.
 *
 * @param nanos the limit, at most a year
 * @param bytes the body size it was computed for, 0 for none
 */
public record Deadline(long nanos, long bytes, TransferLimits limits) {

    /** Arms the deadline on a call that has not been executed yet. */
    public Call arm(Call call) {
        call.timeout().timeout(nanos, TimeUnit.NANOSECONDS);
        return call;
    }

    /** True when {@code failure} is OkHttp's report of a call that ran out of its call timeout. */
    public static boolean isExceeded(Throwable failure) {
        for (Throwable at = failure; at != null; at = at.getCause()) {
            if (at instanceof InterruptedIOException && !(at instanceof SocketTimeoutException)
                    && "timeout".equals(at.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** The failure to report instead of OkHttp's bare "timeout". */
    public SocketTimeoutException exceeded() {
        return new SocketTimeoutException("did not finish within " + describe());
    }

    /** E.g. "91 s (the grace period of 90 s plus 1 MiB at the minimum rate of 1 MiB/s, --min-rate)". */
    public String describe() {
        String grace = seconds(limits.grace().toNanos());
        if (bytes == 0) {
            return grace + " (the grace period, --deadline-grace)";
        }
        return seconds(nanos) + " (the grace period of " + grace + " plus " + bytes(bytes) + " at the minimum rate of "
                + TransferLimits.rate(limits.minBytesPerSecond()) + ", --min-rate)";
    }

    private static String seconds(long nanos) {
        double s = nanos / 1e9;
        return s < 10 && s != Math.rint(s) ? String.format(Locale.ROOT, "%.1f s", s)
                : String.format(Locale.ROOT, "%d s", Math.round(Math.ceil(s)));
    }

    static String bytes(long n) {
        String[] units = {"GiB", "MiB", "KiB"};
        long[] sizes = {1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < units.length; i++) {
            if (n >= sizes[i]) {
                double v = (double) n / sizes[i];
                return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v))
                        + " " + units[i];
            }
        }
        return n + " bytes";
    }
}
