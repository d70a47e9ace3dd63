package dev.ferry.template;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** Go's {@code fmt.Sprintf} for the verbs templates use: %s %v %q %d %x %X %t %f %e %g %%, with flags, width and precision. */
final class GoFormat {

    private GoFormat() {
    }

    static String sprintf(String format, List<JsonNode> args) throws TemplateException {
        StringBuilder out = new StringBuilder();
        int argument = 0;
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int start = i;
            while (i < format.length() && "+-# 0".indexOf(format.charAt(i)) >= 0) {
                i++;
            }
            while (i < format.length() && (Character.isDigit(format.charAt(i)) || format.charAt(i) == '.')) {
                i++;
            }
            if (i >= format.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            String spec = format.substring(start, i);
            char verb = format.charAt(i++);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (argument >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            out.append(one(spec, verb, args.get(argument++)));
        }
        if (argument < args.size()) {
            out.append("%!(EXTRA ").append(args.size() - argument).append(" values)");
        }
        return out.toString();
    }

    private static String one(String spec, char verb, JsonNode arg) throws TemplateException {
        return switch (verb) {
            case 's', 'v' -> String.format("%" + spec + "s", Functions.print(arg));
            case 'q' -> String.format("%" + spec + "s", quote(Functions.print(arg)));
            case 't' -> String.format("%" + spec + "s", Functions.truth(arg));
            case 'd' -> arg.isIntegralNumber() ? String.format("%" + spec + "d", arg.longValue()) : bad(verb, arg);
            case 'x', 'X' -> arg.isIntegralNumber() ? String.format("%" + spec + verb, arg.longValue())
                    : String.format("%" + spec + "s", hex(Functions.print(arg), verb == 'X'));
            case 'f', 'e', 'g' -> arg.isNumber() ? String.format("%" + spec + verb, arg.doubleValue()) : bad(verb, arg);
            default -> throw new TemplateException("printf: the verb %" + verb + " is not supported");
        };
    }

    private static String bad(char verb, JsonNode arg) {
        return "%!" + verb + "(" + Functions.kind(arg).replaceFirst("^an? ", "") + "=" + Functions.print(arg) + ")";
    }

    private static String hex(String text, boolean upper) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            out.append(String.format(upper ? "%02X" : "%02x", b));
        }
        return out.toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c < 0x20 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
