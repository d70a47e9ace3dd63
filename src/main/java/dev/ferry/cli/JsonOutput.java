package dev.ferry.cli;

import dev.ferry.json.Json;
import dev.ferry.json.JsonTrees;
import java.io.PrintStream;
import java.util.Locale;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;

/** Prints JSON the way skopeo does (Go's MarshalIndent with four spaces), so outputs diff cleanly. */
final class JsonOutput {

    private JsonOutput() {
    }

    static void print(PrintStream out, Object value) {
        out.println(Writer.WRITER.writeValueAsString(value));
    }

    /** A tree printed alike, without the object mapper: inspect prints one, and start-up matters there. */
    static void print(PrintStream out, JsonNode tree) {
        out.println(JsonTrees.write(tree, printer(), new TerminalSafe()));
    }

    private static DefaultPrettyPrinter printer() {
        return new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""))
                .withObjectIndenter(new DefaultIndenter("    ", "\n"))
                .withArrayIndenter(new DefaultIndenter("    ", "\n"));
    }

    /** Built on first use: the mapper behind it is what the tree printer avoids. */
    private static final class Writer {
        static final ObjectWriter WRITER = Json.MAPPER.writer().with(printer()).with(new TerminalSafe());
    }

    /**
     * JSON escapes C0 controls already; DEL, C1 controls and bidi overrides, which a registry's
     * strings may hold, are written as {@code \\u} escapes too: the same JSON value, but nothing
     * that acts on a terminal (see {@link TerminalText}).
     */
    static final class TerminalSafe extends CharacterEscapes {

        private static final int[] ASCII = standardAsciiEscapesForJSON();

        static {
            ASCII[0x7f] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return TerminalText.unsafe((char) ch)
                    ? new SerializedString(String.format(Locale.ROOT, "\\u%04x", ch)) : null;
        }
    }
}
