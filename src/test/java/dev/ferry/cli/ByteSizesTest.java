package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.Cli;
import org.junit.jupiter.api.Test;

class ByteSizesTest {

    @Test
    void sizesAreReadInBinaryUnitsWhateverTheSpelling() {
        assertEquals(8L << 20, ByteSizes.parse("--x", "8MiB"));
        assertEquals(8L << 20, ByteSizes.parse("--x", "8mb"));
        assertEquals(512L << 10, ByteSizes.parse("--x", "512k"));
        assertEquals(1L << 30, ByteSizes.parse("--x", "1GiB"));
        assertEquals(4096, ByteSizes.parse("--x", "4096"));
    }

    @Test
    void aSizeThatIsNoneOrTooLargeIsAUsageError() {
        assertTrue(assertThrows(UsageException.class, () -> ByteSizes.parse("--x", "8 parsecs")).getMessage()
                .contains("--x takes a size"));
        assertThrows(UsageException.class, () -> ByteSizes.parse("--x", "999999999999999g"));
        assertThrows(UsageException.class, () -> ByteSizes.parse("--x", "-1"));
    }

    @Test
    void rangedFetchOptionsOutOfBoundsExitWithUsage() {
        assertEquals(ExitCodes.USAGE, Cli.run("pull", "--max-concurrent-downloads-per-layer", "0",
                "127.0.0.1:1/a:1", "/nonexistent/x").exitCode());
        assertEquals(ExitCodes.USAGE, Cli.run("pull", "--concurrent-layer-fetch-buffer", "1KiB",
                "127.0.0.1:1/a:1", "/nonexistent/x").exitCode());
        assertEquals(ExitCodes.USAGE, Cli.run("copy", "--max-connections-per-registry", "0",
                "docker://127.0.0.1:1/a:1", "docker://127.0.0.1:1/b:1").exitCode());
    }
}
