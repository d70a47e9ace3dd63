package dev.ferry.aot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The training run behind scripts/ferry's AOT cache: a command it cannot run loads too little. */
class AotTrainingTest {

    @Test
    void everyTrainingCommandEndsAsExpectedWithoutANetwork() throws Exception {
        assertEquals(List.of(), AotTraining.train());
    }
}
