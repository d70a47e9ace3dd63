package dev.ferry.aot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.cli.ExitCodes;
import dev.ferry.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the query commands and their AOT training load: every class in the queries cache is loaded
 * at each start, and the object mapper's set-up alone outweighs an inspect's requests. Checked in
 * child JVMs' class-load logs, against the training registry in its own process.
 */
class QueryStartupLoadsTest {

    private static final String MAPPER = "tools.jackson.databind.json.JsonMapper ";

    @Test
    void inspectListTagsHistoryHelpAndARegistryErrorNeverBuildTheObjectMapper(@TempDir Path tmp) throws Exception {
        try (Registries registries = Registries.start()) {
            String repo = "docker://127.0.0.1:" + registries.source() + "/train";
            List<List<String>> commandLines = List.of(
                    List.of("inspect", "--tls-verify=false", repo + ":latest"),
                    List.of("list-tags", "--tls-verify=false", repo),
                    List.of("history", "--tls-verify=false", repo + ":latest"),
                    List.of("--help"),
                    List.of("inspect", "--tls-verify=false", repo + ":missing"));
            List<Integer> exits = List.of(ExitCodes.OK, ExitCodes.OK, ExitCodes.OK, ExitCodes.OK, ExitCodes.NOT_FOUND);
            for (int i = 0; i < commandLines.size(); i++) {
                List<String> args = commandLines.get(i);
                Run run = run(tmp, Main.class, args);
                assertEquals(exits.get(i), run.exit(), () -> args + ": " + run.output());
                assertTrue(run.loaded().contains("dev.ferry.cli.Main "), "the log records the classes loaded");
                assertFalse(run.loaded().contains(MAPPER), () -> "ferry " + args + " built the object mapper");
            }
        }
    }

    @Test
    void theQueriesTrainingLoadsNoHttpServerAndNoObjectMapper(@TempDir Path tmp) throws Exception {
        Run run = run(tmp, AotTraining.class, List.of("queries"));

        assertEquals(0, run.exit(), run::output);
        assertEquals("", run.output().strip(), "no command of the training ended unexpectedly");
        assertTrue(run.loaded().contains("dev.ferry.cli.InspectCommand "), "the training ran inspect in this JVM");
        assertEquals(List.of(), run.loaded().lines().filter(l -> l.contains("httpserver")).toList());
        assertFalse(run.loaded().contains(MAPPER));
    }

    @Test
    void theTrainingRegistryStopsWhenClosed() throws Exception {
        Registries registries = Registries.start();
        assertTrue(registries.process().isAlive());

        registries.close();

        assertFalse(registries.process().isAlive());
        assertEquals(0, registries.process().exitValue(), "it stopped on its own, at the end of its input");
    }

    private record Run(int exit, String output, String loaded) {
    }

    private static Run run(Path tmp, Class<?> main, List<String> args) throws Exception {
        Path log = Files.createTempFile(tmp, "class-load", ".log");
        Path output = Files.createTempFile(tmp, "output", ".txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Xlog:class+load=info:file=" + log,
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), () -> main.getSimpleName() + " " + args + " finished");
        return new Run(process.exitValue(), Files.readString(output), Files.readString(log));
    }
}
