package dev.ferry.integration;

import dev.ferry.testing.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Two real registries for the out-of-process sync tests, and a configuration file naming both. */
abstract class TwoRegistriesSyncTest {

    static LocalRegistry source;
    static LocalRegistry target;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        source = LocalRegistry.start();
        target = LocalRegistry.start();
    }

    @AfterAll
    static void stop() throws Exception {
        source.close();
        target.close();
    }

    /** A regsync file reaching {@code sourceHost} and the target over plain HTTP, with {@code body} as its sync list. */
    Path config(String sourceHost, String body) throws IOException {
        Path file = dir.resolve("sync-" + System.nanoTime() + ".yaml");
        Files.writeString(file, """
                creds:
                  - {registry: "%s", tls: disabled}
                  - {registry: "%s", tls: disabled}
                sync:
                """.formatted(sourceHost, target.hostPort()) + body);
        return file;
    }
}
