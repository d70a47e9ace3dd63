package dev.ferry.inspect;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Formats a config's {@code created} time as skopeo prints it: Go's RFC 3339 with nanoseconds,
 * trailing zeros of the fraction trimmed, {@code Z} for UTC.
 */
final class GoTime {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private GoTime() {
    }

    static String format(String created) {
        if (created == null || created.isEmpty()) {
            return null;
        }
        OffsetDateTime t;
        try {
            t = OffsetDateTime.parse(created);
        } catch (DateTimeParseException e) {
            return created;
        }
        StringBuilder sb = new StringBuilder(SECONDS.format(t));
        if (t.getNano() != 0) {
            String nanos = String.format("%09d", t.getNano()).replaceFirst("0+$", "");
            sb.append('.').append(nanos);
        }
        if (t.getOffset().equals(ZoneOffset.UTC)) {
            sb.append('Z');
        } else {
            sb.append(t.getOffset().getId());
        }
        return sb.toString();
    }
}
