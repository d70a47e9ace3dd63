package dev.ferry.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * The one way text a registry, an auth file or a layout supplied reaches a terminal: control
 * characters and bidirectional overrides are shown as visible escapes instead of being sent.
 * An escape sequence (ESC), a bell, a carriage return that rewrites the line, or a line break
 * followed by a forged prompt would otherwise act on the user's terminal; a bidi override would
 * make a line read differently from what it says.
 *
 * <p>Escaped: C0 controls ({@code \t}, {@code \n}, {@code \r} by those names, the others as
 * {@code \x1b}), DEL and C1 controls ({@code \x7f}, {@code \x9b}), and the bidi embeddings,
 * overrides and isolates U+202A-U+202E and U+2066-U+2069 ({@code \u202e}). A backslash stays as
 * it is, so printable text, {@code --format} output included, is byte for byte what skopeo prints.
 */
final class TerminalText {

    private TerminalText() {
    }

    /** Whether the character must not reach a terminal as it is. */
    static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    /** The text as one line a terminal shows as written: every unsafe character escaped visibly. */
    static String line(String text) {
        return escape(text, false);
    }

    /**
     * As {@link #line(String)}, cut after {@code max} characters: a registry's error body may be
     * 64 KiB, and one failure is one readable line.
     */
    static String line(String text, int max) {
        String escaped = line(text);
        return escaped == null || escaped.length() <= max ? escaped
                : escaped.substring(0, max) + "... (" + (escaped.length() - max) + " more characters)";
    }

    private static String escape(String text, boolean keepTabs) {
        if (text == null || text.chars().noneMatch(c -> unsafe((char) c) && !(keepTabs && c == '\t'))) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!unsafe(c) || (keepTabs && c == '\t')) {
                out.append(c);
                continue;
            }
            out.append(switch (c) {
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> c <= 0xff ? String.format(Locale.ROOT, "\\x%02x", (int) c)
                        : String.format(Locale.ROOT, "\\u%04x", (int) c);
            });
        }
        return out.toString();
    }

    /**
     * A copy of a JSON tree (what {@code --format} renders) with every string and key made safe,
     * so that only the template's own text, which the user wrote, carries tabs and line breaks.
     */
    static JsonNode values(JsonNode node) {
        return switch (node) {
            case StringNode s -> StringNode.valueOf(line(s.stringValue()));
            case ObjectNode object -> {
                ObjectNode copy = object.objectNode();
                List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.properties());
                entries.forEach(e -> copy.set(line(e.getKey()), values(e.getValue())));
                yield copy;
            }
            case ArrayNode array -> {
                ArrayNode copy = array.arrayNode();
                array.forEach(e -> copy.add(values(e)));
                yield copy;
            }
            default -> node;
        };
    }

    /**
     * A stream for lines of text (warnings, debug logs, a stack trace) whose every piece is escaped
     * as {@link #line} escapes it, tabs apart (a stack trace indents with them; a tab moves the
     * cursor only forward); only the line breaks {@code println} and {@code %n} add are sent.
     * Text only: bytes written with {@code write} pass as they are.
     */
    static PrintStream lines(OutputStream target) {
        return new LineStream(target);
    }

    private static final class LineStream extends PrintStream {

        LineStream(OutputStream target) {
            super(target, true, StandardCharsets.UTF_8);
        }

        // Each call reaches the target in one write, so a line is never split by another thread's
        // line on the same terminal (the debug log and the progress lines share standard error).
        // Only the line breaks println and %n add are kept; one inside the text is escaped.
        @Override
        public void print(String s) {
            String text = String.valueOf(s);
            super.print(isLineBreak(text) ? text : escape(text, true));
        }

        @Override
        public void println(String s) {
            super.print(escape(String.valueOf(s), true) + System.lineSeparator());
        }

        @Override
        public void println(Object x) {
            println(String.valueOf(x));
        }

        @Override
        public PrintStream format(String format, Object... args) {
            return format(Locale.getDefault(Locale.Category.FORMAT), format, args);
        }

        @Override
        public PrintStream format(Locale locale, String format, Object... args) {
            StringBuilder out = new StringBuilder();
            // The formatter appends each piece on its own, %n included.
            Appendable pieces = new Appendable() {
                @Override
                public Appendable append(CharSequence piece) {
                    String text = String.valueOf(piece);
                    out.append(isLineBreak(text) ? text : escape(text, true));
                    return this;
                }

                @Override
                public Appendable append(CharSequence piece, int start, int end) {
                    return append(String.valueOf(piece).subSequence(start, end));
                }

                @Override
                public Appendable append(char c) {
                    return append(String.valueOf(c));
                }
            };
            new java.util.Formatter(pieces, locale).format(format, args);
            super.print(out.toString());
            return this;
        }

        private static boolean isLineBreak(String text) {
            return text.equals("\n") || text.equals(System.lineSeparator());
        }

        @Override
        public void print(Object obj) {
            print(String.valueOf(obj));
        }

        @Override
        public void print(char c) {
            print(String.valueOf(c));
        }

        @Override
        public void print(char[] s) {
            print(new String(s));
        }
    }
}
