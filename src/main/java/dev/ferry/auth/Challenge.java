package dev.ferry.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code WWW-Authenticate} challenge: a scheme ({@code bearer}, {@code basic}, lowercased) and
 * its parameters (names lowercased, values unquoted).
 */
public record Challenge(String scheme, Map<String, String> params) {

    public Challenge {
        scheme = scheme.toLowerCase(Locale.ROOT);
        params = Map.copyOf(params);
    }

    public String param(String name) {
        return params.get(name);
    }

    public boolean isBearer() {
        return scheme.equals("bearer");
    }

    public boolean isBasic() {
        return scheme.equals("basic");
    }

    /**
     * Parses every challenge in the given header values (RFC 7235): one header may hold several
     * challenges, and quoted values may hold commas and escaped quotes.
     */
    public static List<Challenge> parse(List<String> headerValues) {
        List<Challenge> result = new ArrayList<>();
        for (String value : headerValues) {
            new Parser(value).parseInto(result);
        }
        return result;
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        void parseInto(List<Challenge> out) {
            String scheme = null;
            Map<String, String> params = new LinkedHashMap<>();
            while (true) {
                skipSeparators();
                if (pos >= s.length()) {
                    break;
                }
                String token = token();
                if (token.isEmpty()) {
                    pos++; // an unexpected character: skip it rather than loop forever
                    continue;
                }
                skipSpaces();
                if (pos < s.length() && s.charAt(pos) == '=' && scheme != null && !isToken68Padding()) {
                    pos++;
                    skipSpaces();
                    params.put(token.toLowerCase(Locale.ROOT), value());
                } else {
                    if (scheme != null) {
                        out.add(new Challenge(scheme, params));
                    }
                    scheme = token;
                    params = new LinkedHashMap<>();
                }
            }
            if (scheme != null) {
                out.add(new Challenge(scheme, params));
            }
        }

        // "Basic realm=x" vs token68 forms like "Negotiate abc==": a '=' followed by '=' or end is padding.
        private boolean isToken68Padding() {
            int next = pos + 1;
            return next < s.length() && s.charAt(next) == '=';
        }

        private String token() {
            int start = pos;
            while (pos < s.length() && isTokenChar(s.charAt(pos))) {
                pos++;
            }
            return s.substring(start, pos);
        }

        private String value() {
            if (pos < s.length() && s.charAt(pos) == '"') {
                pos++;
                StringBuilder sb = new StringBuilder();
                while (pos < s.length() && s.charAt(pos) != '"') {
                    char c = s.charAt(pos++);
                    if (c == '\\' && pos < s.length()) {
                        c = s.charAt(pos++);
                    }
                    sb.append(c);
                }
                pos++; // closing quote
                return sb.toString();
            }
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != ',' && !Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            return s.substring(start, pos);
        }

        private void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private void skipSeparators() {
            while (pos < s.length() && (Character.isWhitespace(s.charAt(pos)) || s.charAt(pos) == ',')) {
                pos++;
            }
        }

        private static boolean isTokenChar(char c) {
            return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={} \t".indexOf(c) < 0;
        }
    }
}
