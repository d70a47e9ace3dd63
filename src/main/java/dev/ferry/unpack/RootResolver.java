package dev.ferry.unpack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Resolves names inside the root component by component, as if the root were "/" (chroot
 * semantics, as Go's securejoin and umoci do): a symlink met on the way is followed with its
 * target read against the root, ".." stops at the root, so no walk ever leaves it. The last
 * component of a name is never followed; callers act on the node itself with NOFOLLOW_LINKS.
 *
 * <p>The root is a work directory only this process writes, so what is checked stays true.
 */
final class RootResolver {

    /** As Linux's MAXSYMLINKS: more symlinks than this in one walk is a loop. */
    static final int MAX_SYMLINKS = 40;

    private final Path root;
    private final UnpackLimits limits;

    RootResolver(Path root, UnpackLimits limits) {
        this.root = root;
        this.limits = limits;
    }

    Path root() {
        return root;
    }

    /** The absolute path of real components (ones known to hold no symlink). */
    Path path(List<String> real) {
        Path p = root;
        for (String c : real) {
            p = p.resolve(c);
        }
        return p;
    }

    /**
     * The real components of the directory {@code dirs} names. Missing directories are created
     * (and reported to {@code created}) when {@code create}, otherwise the answer is null.
     *
     * @throws EntryName.Refused when the walk meets a non-directory, a symlink loop or the limits
     */
    List<String> directory(List<String> dirs, boolean create, Consumer<List<String>> created)
            throws EntryName.Refused, IOException {
        Deque<String> todo = new ArrayDeque<>(dirs);
        List<String> real = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.removeFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!real.isEmpty()) {
                    real.removeLast();
                }
                continue;
            }
            if (real.size() >= limits.maxDepth()) {
                throw new EntryName.Refused("the path is deeper than " + limits.maxDepth() + " directories");
            }
            Path p = path(real).resolve(c);
            BasicFileAttributes attributes = lstat(p);
            if (attributes == null) {
                if (!create) {
                    return null;
                }
                Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                real.add(c);
                created.accept(List.copyOf(real));
            } else if (attributes.isDirectory()) {
                real.add(c);
            } else if (attributes.isSymbolicLink()) {
                if (++links > MAX_SYMLINKS) {
                    throw new EntryName.Refused(LayerReport.Reason.INCONSISTENT, "too many levels of symbolic links");
                }
                String target = Files.readSymbolicLink(p).toString();
                if (target.startsWith("/")) {
                    real.clear();
                }
                String[] parts = target.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    todo.addFirst(parts[i]);
                }
                if (todo.size() > limits.maxDepth() * 4L) {
                    throw new EntryName.Refused("symbolic links expand the path beyond the limits");
                }
            } else {
                throw new EntryName.Refused(LayerReport.Reason.INCONSISTENT, "/" + String.join("/", real) + (real.isEmpty() ? "" : "/") + c
                        + " is not a directory");
            }
        }
        return real;
    }

    /** The attributes of the node itself, or null when nothing is there. */
    static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
