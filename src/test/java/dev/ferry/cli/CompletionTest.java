package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.Cli;
import dev.ferry.testing.External;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionTest {

    @Test
    void completionPrintsABashScriptThatKnowsEveryCommandAndItsOptions(@TempDir Path tmp) throws Exception {
        Cli.Result result = Cli.run("completion");

        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        for (String word : List.of("inspect", "list-tags", "pull", "copy", "login", "logout", "--digestfile",
                "--dest-creds", "--src-no-creds", "--format", "--override-arch")) {
            assertTrue(result.stdout().contains(word), "the script knows " + word);
        }
        Path script = tmp.resolve("ferry.bash");
        Files.writeString(script, result.stdout());
        String registered = External.check("bash", "-c", "source '" + script + "' && complete -p ferry");
        assertTrue(registered.contains("_complete_ferry"), registered);
    }
}
