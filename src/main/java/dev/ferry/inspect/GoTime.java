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
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xx");

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

    /**
     * A time as Go's {@code time.Time.String()} prints it, which is what a Go template shows for
     * skopeo's {@code Created}: {@code 2024-05-01 12:30:00.5 +0000 UTC}; an offset other than UTC
     * has no zone name and prints twice ({@code +0200 +0200}).
     */
    static String goString(String created) {
        if (created == null || created.isEmpty()) {
            return created;
        }
        OffsetDateTime t;
        try {
            t = OffsetDateTime.parse(created);
        } catch (DateTimeParseException e) {
            return created;
        }
        StringBuilder sb = new StringBuilder(SPACED.format(t));
        if (t.getNano() != 0) {
            sb.append('.').append(String.format("%09d", t.getNano()).replaceFirst("0+$", ""));
        }
        String offset = OFFSET.format(t);
        return sb.append(' ').append(offset).append(' ')
                .append(t.getOffset().equals(ZoneOffset.UTC) ? "UTC" : offset).toString();
    }
}
