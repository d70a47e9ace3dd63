package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of ferry sync: usage errors exit 2 before any request. */
class SyncCommandTest {

    @TempDir
    Path dir;

    Path config() throws Exception {
        Path file = dir.resolve("sync.yaml");
        Files.writeString(file, "sync:\n  - {source: 127.0.0.1:9/a/b:1, target: 127.0.0.1:9/c/d}\n");
        return file;
    }

    @Test
    void aBareIntervalWithoutOneInTheFileIsAUsageError() throws Exception {
        Cli.Result r = Cli.run("sync", "--interval", "--", config().toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("defaults.interval"), r.stderr());
    }

    @Test
    void aShardOutsideItsCountIsAUsageError() throws Exception {
        Cli.Result r = Cli.run("sync", "--shard", "3/2", config().toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("I/N"), r.stderr());
    }

    @Test
    void onceAndIntervalTogetherAreAUsageError() throws Exception {
        Cli.Result r = Cli.run("sync", "--once", "--interval", "1m", config().toString());
        assertEquals(2, r.exitCode(), r.toString());
    }

    @Test
    void aMissingConfigurationFileExitsTwoNamingIt() throws Exception {
        Cli.Result r = Cli.run("sync", dir.resolve("nope.yaml").toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("nope.yaml: cannot read it"), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
    }

    @Test
    void anUnknownFormatIsAUsageError() throws Exception {
        assertEquals(2, Cli.run("sync", "--format", "xml", config().toString()).exitCode());
    }
}
