package dev.ferry.sync;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What a round did with one image, printed as a line (or a JSON object with {@code --format json}).
 *
 * @param status {@code up-to-date}, {@code copied} or {@code failed}
 * @param requests the requests this image cost, by HTTP method
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageReport(String status, String source, String target, String sourceDigest, String targetDigest,
        long bytes, Map<String, Long> requests, String error) {

    public static final String UP_TO_DATE = "up-to-date";
    public static final String COPIED = "copied";
    public static final String FAILED = "failed";

    public String line() {
        StringBuilder out = new StringBuilder(String.format("%-10s %s -> %s", status, Printable.of(source),
                Printable.of(target)));
        if (targetDigest != null) {
            out.append(' ').append(targetDigest);
        }
        if (status.equals(COPIED)) {
            out.append(' ').append(bytes).append(" bytes");
        }
        StringBuilder counts = new StringBuilder();
        requests.forEach((method, n) -> counts.append(counts.isEmpty() ? "" : ", ").append(method).append(' ').append(n));
        out.append(" (").append(counts.isEmpty() ? "no requests" : counts).append(')');
        if (error != null) {
            out.append(": ").append(error);
        }
        return out.toString();
    }
}
