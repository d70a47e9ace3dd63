package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.testing.Cli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line as users see it, held to texts recorded from the release whose model picocli
 * read from annotations: every help text, the usage errors and the completion script must stay
 * byte for byte what they were while the model is built by hand.
 */
class HelpTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"inspect", "list-tags", "pull", "copy", "verify", "save", "load", "history", "unpack",
        "export", "delete", "sync", "login", "logout"})
    void everyCommandsHelpListsWhatItListedBefore(String command) throws IOException {
        Cli.Result result = Cli.run(command, "--help");

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(recorded(command + ".txt"), result.stdout());
        assertEquals("", result.stderr());
    }

    @Test
    void theRootHelpListsItsOptionsCommandsAndExitCodesAsBefore() throws IOException {
        Cli.Result result = Cli.run("--help");

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(recorded("ferry.txt"), result.stdout());
    }

    @Test
    void badCommandLinesFailWithTheMessagesAndExitCodesTheyHadBefore() throws IOException {
        StringBuilder seen = new StringBuilder();
        // One command line a line; the first, empty, runs ferry without arguments.
        for (String line : recorded("usage-errors.args").lines().toList()) {
            String[] args = line.isBlank() ? new String[0] : line.trim().split(" ");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), args);
            seen.append("$ ferry ").append(line.trim()).append("\nexit ").append(code).append("\n--- stdout\n")
                    .append(out.toString(StandardCharsets.UTF_8)).append("--- stderr\n")
                    .append(err.toString(StandardCharsets.UTF_8));
        }
        assertEquals(recorded("usage-errors.txt"), seen.toString());
    }

    @Test
    void theCompletionScriptDescribesEveryCommandAndOptionAsBefore() throws IOException {
        Cli.Result result = Cli.run("completion");

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertEquals(recorded("completion.bash"), result.stdout());
    }

    @Test
    void aSubcommandPrintsNoVersionAndTheRootPrintsFerrysVersion() {
        Cli.Result sub = Cli.run("inspect", "--version");
        Cli.Result root = Cli.run("--version");

        assertEquals("", sub.stdout());
        assertEquals(ExitCodes.OK, root.exitCode(), root.toString());
        assertEquals("ferry version " + dev.ferry.http.UserAgent.VERSION, root.stdout().lines().findFirst().orElseThrow());
        assertEquals("gzip inflater: ", root.stdout().lines().skip(1).findFirst().orElseThrow().substring(0, 15));
    }

    private static String recorded(String name) throws IOException {
        try (InputStream in = HelpTextTest.class.getResourceAsStream("/cli-help/" + name)) {
            if (in == null) {
                throw new IOException("no recorded text /cli-help/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
