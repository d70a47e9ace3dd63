package dev.ferry.cli;

import dev.ferry.json.Json;
import java.io.PrintStream;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.ObjectWriter;

/** Prints JSON the way skopeo does (Go's MarshalIndent with four spaces), so outputs diff cleanly. */
final class JsonOutput {

    private static final ObjectWriter WRITER = Json.MAPPER.writer().with(new DefaultPrettyPrinter(
            Separators.createDefaultInstance()
                    .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("    ", "\n"))
            .withArrayIndenter(new DefaultIndenter("    ", "\n")));

    private JsonOutput() {
    }

    static void print(PrintStream out, Object value) {
        out.println(WRITER.writeValueAsString(value));
    }
}
