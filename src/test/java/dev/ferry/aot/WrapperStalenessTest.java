package dev.ferry.aot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/ferry rebuilds the jar when a source or the pom is newer than it: the check runs on every
 * command, in scripts/lib/common.sh, against a copy of the project's shape here.
 */
class WrapperStalenessTest {

    private static final Instant BUILT = Instant.parse("2026-01-01T12:00:00Z");

    @TempDir
    Path root;

    @BeforeEach
    void project() throws IOException {
        Files.createDirectories(root.resolve("scripts/lib"));
        Files.copy(Path.of("scripts/lib/common.sh"), root.resolve("scripts/lib/common.sh"));
        touch(root.resolve("pom.xml"), BUILT.minusSeconds(60));
        touch(root.resolve("src/main/java/dev/ferry/A.java"), BUILT.minusSeconds(60));
        touch(root.resolve("src/main/resources/x.properties"), BUILT.minusSeconds(60));
        touch(root.resolve("target/ferry.jar"), BUILT);
        // Directories count too (a file added or removed changes its directory's time).
        try (var dirs = Files.walk(root.resolve("src"))) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Files.setLastModifiedTime(dir, FileTime.from(BUILT.minusSeconds(60)));
            }
        }
    }

    @Test
    void aJarNewerThanEverySourceIsNotStale() throws Exception {
        assertEquals(1, jarIsStale());
    }

    @Test
    void anEditedSourceMakesTheJarStale() throws Exception {
        touch(root.resolve("src/main/java/dev/ferry/A.java"), BUILT.plusSeconds(1));
        assertEquals(0, jarIsStale());
    }

    @Test
    void anEditedResourceOrPomMakesTheJarStale() throws Exception {
        touch(root.resolve("src/main/resources/x.properties"), BUILT.plusSeconds(1));
        assertEquals(0, jarIsStale());
        touch(root.resolve("src/main/resources/x.properties"), BUILT.minusSeconds(1));
        touch(root.resolve("pom.xml"), BUILT.plusSeconds(1));
        assertEquals(0, jarIsStale());
    }

    @Test
    void aNewSourceFileMakesTheJarStale() throws Exception {
        Files.createFile(root.resolve("src/main/java/dev/ferry/B.java"));
        Files.setLastModifiedTime(root.resolve("src/main/java/dev/ferry/B.java"), FileTime.from(BUILT.minusSeconds(60)));
        assertEquals(0, jarIsStale());
    }

    @Test
    void aMissingJarIsStale() throws Exception {
        Files.delete(root.resolve("target/ferry.jar"));
        assertEquals(0, jarIsStale());
    }

    @Test
    void queryCommandsRunWithTheQueriesCacheAndEveryOtherCommandWithTheWholeOne() throws Exception {
        touch(root.resolve("target/ferry.aot"), BUILT.plusSeconds(5));
        touch(root.resolve("target/ferry-queries.aot"), BUILT.plusSeconds(5));

        for (String line : List.of("inspect docker://r/a:1", "--debug list-tags docker://r/a", "history oci:x", "--help", "")) {
            assertTrue(jvmFlags(line).endsWith("-XX:AOTCache=" + root.resolve("target/ferry-queries.aot")), line);
        }
        for (String line : List.of("pull r/a:1 dir", "--debug copy a b", "sync c.yaml", "--version", "unpack a b")) {
            assertTrue(jvmFlags(line).endsWith("-XX:AOTCache=" + root.resolve("target/ferry.aot")), line);
        }
    }

    @Test
    void aCacheOlderThanTheJarIsNotUsed() throws Exception {
        touch(root.resolve("target/ferry-queries.aot"), BUILT.minusSeconds(5));

        assertFalse(jvmFlags("inspect docker://r/a:1").contains("AOTCache"));
    }

    private String jvmFlags(String args) throws Exception {
        Process bash = new ProcessBuilder("bash", "-c", ". scripts/lib/common.sh && ferry_jvm_flags " + args
                + " && printf %s \"$FERRY_JVM_FLAGS\"").directory(root.toFile()).start();
        String out = new String(bash.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!bash.waitFor(30, TimeUnit.SECONDS)) {
            bash.destroyForcibly();
            throw new AssertionError("ferry_jvm_flags did not finish");
        }
        return out.trim();
    }

    private int jarIsStale() throws Exception {
        Process bash = new ProcessBuilder("bash", "-c", ". scripts/lib/common.sh && jar_is_stale")
                .directory(root.toFile()).redirectErrorStream(true).start();
        bash.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (!bash.waitFor(30, TimeUnit.SECONDS)) {
            bash.destroyForcibly();
            throw new AssertionError("jar_is_stale did not finish");
        }
        return bash.exitValue();
    }

    private static void touch(Path file, Instant time) throws IOException {
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
        Files.setLastModifiedTime(file, FileTime.from(time));
    }
}
