package dev.ferry.sync;

/** Text from a configuration or a registry made safe to print: control characters escaped, length bounded. */
final class Printable {

    private static final int MAX = 200;

    private Printable() {
    }

    static String of(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < MAX; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return text.length() > MAX ? out + "..." : out.toString();
    }
}
