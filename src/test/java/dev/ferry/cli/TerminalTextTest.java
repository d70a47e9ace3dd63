package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.json.Json;
import dev.ferry.manifest.Descriptor;
import dev.ferry.transfer.BlobOutcome;
import dev.ferry.transfer.BlobRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TerminalTextTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "ESC, BEL and a forged prompt | 'a\u001b[31mb\u0007\r\npassword: ' | 'a\\x1b[31mb\\x07\\r\\npassword: '",
            "a tab                        | 'a\tb'                            | 'a\\tb'",
            "NUL and DEL                  | 'a\u0000b\u007f'                  | 'a\\x00b\\x7f'",
            "a C1 CSI                     | 'a\u009b2Jb'                      | 'a\\x9b2Jb'",
            "bidi overrides and isolates  | '\u202aa\u202eb\u2066c\u2069'     | '\\u202aa\\u202eb\\u2066c\\u2069'",
            "printable text and backslash | 'caf\u00e9 \\x1b \u4e2d'          | 'caf\u00e9 \\x1b \u4e2d'",
    })
    void unsafeCharactersAreShownAsVisibleEscapes(String what, String text, String shown) {
        assertEquals(shown, TerminalText.line(text));
    }

    @Test
    void aLineStreamKeepsOnlyTheLineBreaksPrintlnAndPercentNAdd() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream lines = TerminalText.lines(bytes);

        lines.println("warning: " + "x\r\npassword: ");
        lines.printf(Locale.ROOT, "debug: %s -> %d%n", "GET /v2/\u001b[2J", 503);
        lines.print('\u0007');
        lines.println((Object) "\u202e");
        lines.println("\tat a.b(C.java:1)");

        assertEquals("warning: x\\r\\npassword: \ndebug: GET /v2/\\x1b[2J -> 503\n\\x07\\u202e\n\tat a.b(C.java:1)\n",
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void valuesOfATreeAreEscapedKeysIncluded() {
        var tree = Json.MAPPER.readTree("{\"k\\u001b\":[\"a\\nb\",1,{\"c\":\"\\u009b\"}]}");

        assertEquals("{\"k\\\\x1b\":[\"a\\\\nb\",1,{\"c\":\"\\\\x9b\"}]}", TerminalText.values(tree).toString());
    }

    @Test
    void progressLinesEscapeANoticeAndSaturateTheTotalSize() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressDisplay progress = new ProgressDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                ProgressDisplay.Mode.PLAIN);
        Descriptor huge = new Descriptor("application/octet-stream", dev.ferry.digest.Digest.sha256(new byte[0]),
                Long.MAX_VALUE);

        progress.notice("skipping foreign layer from http://x/\u001b]8;;evil\u0007");
        progress.finished(new BlobRecord(huge, null, BlobOutcome.FOREIGN_SKIPPED));

        assertEquals("note: skipping foreign layer from http://x/\\x1b]8;;evil\\x07\n"
                + "foreign-skipped " + huge.digest() + " 8589934592.00 GiB\n", bytes.toString(StandardCharsets.UTF_8));
        assertEquals(Long.MAX_VALUE, Descriptor.totalSize(java.util.List.of(huge, huge, huge)));
        assertEquals(5, Descriptor.totalSize(java.util.List.of(new Descriptor(null, huge.digest(), 2),
                new Descriptor(null, huge.digest(), 3))));
    }
}
