package dev.ferry.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * regsync's templates in credential fields: {@code {{env "NAME"}}} and {@code {{file "PATH"}}}
 * (the file's content, without its final newline). Nothing else is expanded: a value with any
 * other {@code {{...}}} is refused rather than sent as a password.
 */
final class Secrets {

    private static final Pattern CALL = Pattern.compile("\\{\\{\\s*(env|file)\\s+\"([^\"]{1,4096})\"\\s*}}");
    private static final int MAX_FILE_BYTES = 64 * 1024;

    private Secrets() {
    }

    static String expand(String value, Map<String, String> env) {
        if (value == null) {
            return null;
        }
        if (CALL.matcher(value).replaceAll("").contains("{{")) {
            throw new IllegalArgumentException("only {{env \"NAME\"}} and {{file \"PATH\"}} are expanded");
        }
        StringBuilder out = new StringBuilder();
        Matcher m = CALL.matcher(value);
        int last = 0;
        while (m.find()) {
            out.append(value, last, m.start()).append(m.group(1).equals("env") ? env(m.group(2), env) : file(m.group(2)));
            last = m.end();
        }
        return out.append(value.substring(last)).toString();
    }

    private static String env(String name, Map<String, String> env) {
        String v = env.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the environment variable " + Printable.of(name) + " is not set");
        }
        return v;
    }

    private static String file(String path) {
        try {
            Path p = Path.of(path);
            if (Files.size(p) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException("the file " + Printable.of(path) + " is larger than 64 KiB");
            }
            String text = Files.readString(p, StandardCharsets.UTF_8);
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the file " + Printable.of(path) + ": "
                    + e.getClass().getSimpleName());
        }
    }
}
