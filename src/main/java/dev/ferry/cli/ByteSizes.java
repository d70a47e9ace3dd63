package dev.ferry.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses byte sizes as containerd's settings take them: {@code 8MiB}, {@code 32mb}, {@code 1g}, or bytes. */
final class ByteSizes {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*([kmg]?)(i?b)?");

    private ByteSizes() {
    }

    /** Binary units whatever the spelling: 8mb and 8MiB are both 8 MiB. */
    static long parse(String option, String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UsageException(option + " takes a size such as 8MiB, 512KiB or 1GiB, not '" + text + "'");
        }
        long value = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        if (value > (Long.MAX_VALUE >> shift)) {
            throw new UsageException(option + " is too large: '" + text + "'");
        }
        return value << shift;
    }
}
