package dev.ferry.unpack;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Removing nodes of the tree being built: a directory with everything below it, links never followed. */
final class Trees {

    private Trees() {
    }

    /** Removes whatever is at {@code p} (a directory with its subtree); nothing there is fine. */
    static void remove(Path p) throws IOException {
        BasicFileAttributes attributes = RootResolver.lstat(p);
        if (attributes == null) {
            return;
        }
        if (!attributes.isDirectory()) {
            Files.delete(p);
            return;
        }
        // walkFileTree follows no symlink unless asked to: a link below p is deleted, not entered.
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
