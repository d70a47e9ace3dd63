package dev.ferry.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directories ferry makes for its own work and removes again. */
public final class FileTrees {

    private FileTrees() {
    }

    /**
     * Deletes a directory and everything in it, quietly: it only held ferry's working copies, and
     * what cannot be deleted (a file another process holds) is left for its owner.
     */
    public static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for the file system's owner; nothing refers to it
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            // as above
        }
    }
}
