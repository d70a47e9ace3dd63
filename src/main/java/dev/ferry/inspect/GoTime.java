package dev.ferry.inspect;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Formats a config's {@code created} time as skopeo shows it: in JSON as Go's RFC 3339 with
 * nanoseconds (trailing zeros of the fraction trimmed, {@code Z} for UTC), and in a template as Go's
 * {@code time.Time.String()}. A time that does not parse is shown as it is.
 */
final class GoTime {

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xx");

    private GoTime() {
    }

    /** {@code 2024-05-01T12:30:00.5Z}; null for no time. */
    static String format(String created) {
        if (created == null || created.isEmpty()) {
            return null;
        }
        OffsetDateTime t = parse(created);
        if (t == null) {
            return created;
        }
        return RFC3339.format(t) + fraction(t)
                + (t.getOffset().equals(ZoneOffset.UTC) ? "Z" : t.getOffset().getId());
    }

    /**
     * {@code 2024-05-01 12:30:00.5 +0000 UTC}, which is what a Go template shows for skopeo's
     * {@code Created}; an offset other than UTC has no zone name and shows twice ({@code +0200 +0200}).
     */
    static String goString(String created) {
        OffsetDateTime t = created == null ? null : parse(created);
        if (t == null) {
            return created;
        }
        String offset = OFFSET.format(t);
        return SPACED.format(t) + fraction(t) + " " + offset + " "
                + (t.getOffset().equals(ZoneOffset.UTC) ? "UTC" : offset);
    }

    private static OffsetDateTime parse(String created) {
        try {
            return OffsetDateTime.parse(created);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Go's {@code .999999999}: the fraction without trailing zeros, nothing for whole seconds. */
    private static String fraction(OffsetDateTime t) {
        return t.getNano() == 0 ? "" : "." + String.format("%09d", t.getNano()).replaceFirst("0+$", "");
    }
}
