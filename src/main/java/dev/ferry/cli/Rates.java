package dev.ferry.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses a transfer rate: bytes per second, with an optional binary unit ({@code 512KiB}, {@code 1MiB/s}). */
final class Rates {

    private static final Pattern RATE = Pattern.compile("(\\d{1,15})\\s*(b|k|kib|m|mib|g|gib)?(/s)?");

    private Rates() {
    }

    static long parse(String option, String text) {
        Matcher m = RATE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UsageException(option + " takes bytes per second such as 1MiB, 512KiB or 100000, not '" + text + "'");
        }
        long value = Long.parseLong(m.group(1));
        int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
            case "k", "kib" -> 10;
            case "m", "mib" -> 20;
            case "g", "gib" -> 30;
            default -> 0;
        };
        if (value > Long.MAX_VALUE >> shift) {
            throw new UsageException(option + " is larger than ferry can count: '" + text + "'");
        }
        long rate = value << shift;
        if (rate < 1) {
            throw new UsageException(option + " must be at least 1 byte per second");
        }
        return rate;
    }
}
