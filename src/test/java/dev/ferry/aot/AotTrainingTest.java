package dev.ferry.aot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The training run behind scripts/ferry's AOT cache: a command it cannot run loads too little. */
class AotTrainingTest {

    @Test
    void everyTrainingCommandEndsAsExpectedWithoutANetwork() throws Exception {
        assertEquals(List.of(), AotTraining.train().unexpected());
    }

    @Test
    void theTrainingRunsTheCommandsUsersWaitOnIncludingAnUnchangedSync() throws Exception {
        List<String> ran = AotTraining.train().ran();
        for (String command : List.of("inspect", "list-tags", "pull", "copy", "sync", "--help")) {
            assertTrue(ran.stream().anyMatch(line -> line.startsWith(command + " ")
                    || line.equals(command) || line.contains(" " + command + " ")), () -> command + " not in " + ran);
        }
        // The same sync twice into a registry that holds the image: the second round has nothing to do.
        assertEquals(2, ran.stream().filter(line -> line.startsWith("sync ") && line.contains("/mirror")).count(), ran::toString);
    }

    @Test
    void theQueriesTrainingRunsTheQueryCommandsAloneAndEachEndsAsExpected() throws Exception {
        AotTraining.Result result = AotTraining.train(true);

        assertEquals(List.of(), result.unexpected());
        for (String command : List.of("inspect", "list-tags", "history", "--help")) {
            assertTrue(result.ran().stream().anyMatch(line -> line.startsWith(command)), () -> command + " not in " + result.ran());
        }
        for (String command : List.of("pull", "copy", "sync")) {
            assertTrue(result.ran().stream().noneMatch(line -> line.startsWith(command + " ")), result.ran()::toString);
        }
    }
}
