package dev.ferry.layout;

import dev.ferry.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one way into a layout directory (or an archive's work directory): every file ferry reads or
 * writes below the root goes through here. A layout on disk may be crafted, so nothing below the
 * root is trusted: every directory on the way to an entry must be a real directory, every file a
 * regular one, and no symbolic link is ever followed, read or written through. The root itself is
 * what the user named and may be a link; it is resolved once, when this is made.
 *
 * <p>Java has no {@code openat}, so an entry is checked and then opened by path: a process that
 * swaps a directory for a link in between can still win that race. What this closes is a layout
 * that was crafted before ferry ran, which is what arrives in an archive, a download or a shared
 * directory. Messages name the layout and the entry, never a file's content.
 */
final class LayoutFiles {

    /** One path component: no separators, no {@code .} or {@code ..}. */
    private static final Pattern COMPONENT = Pattern.compile("(?!\\.\\.?$)[A-Za-z0-9._+=-]{1,200}");

    private final Path shown;
    private final Path real;

    private LayoutFiles(Path shown, Path real) {
        this.shown = shown;
        this.real = real;
    }

    /** The existing directory {@code shown} (resolved once, a link to a directory included). */
    static LayoutFiles at(Path shown) throws IOException {
        Path real;
        try {
            real = shown.toRealPath();
        } catch (NoSuchFileException e) {
            throw new LayoutException(shown + " does not exist or is not a directory");
        }
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new LayoutException(shown + " does not exist or is not a directory");
        }
        return new LayoutFiles(shown, real);
    }

    /** The root resolved (links included): one directory has one real path however it is named. */
    Path real() {
        return real;
    }

    /** The root as messages name it. */
    Path shown() {
        return shown;
    }

    /**
     * The entry's attributes, not following a link; null when there is nothing there. Each directory
     * on the way must be a real directory.
     */
    BasicFileAttributes attributes(String entry) throws IOException {
        Path path = confined(entry);
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The entry's attributes when it is a regular file; null when missing; refused when anything else. */
    BasicFileAttributes regularFile(String entry) throws IOException {
        BasicFileAttributes attributes = attributes(entry);
        if (attributes != null && !attributes.isRegularFile()) {
            throw refused(entry, kind(attributes), "a regular file");
        }
        return attributes;
    }

    /**
     * True when the file has other names too (a hard link planted to a file elsewhere): writing to
     * it would change that file. False where the file system does not count links.
     */
    boolean hasOtherNames(String entry) throws IOException {
        try {
            return ((Number) Files.getAttribute(confined(entry), "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() > 1;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** True when the entry exists as anything (a link included, which is not followed). */
    boolean exists(String entry) throws IOException {
        return attributes(entry) != null;
    }

    /** Reads a regular file; {@link NoSuchFileException} when it is missing. */
    InputStream open(String entry) throws IOException {
        if (regularFile(entry) == null) {
            throw new NoSuchFileException(shown.resolve(entry).toString());
        }
        return Channels.newInputStream(FileChannel.open(confined(entry), StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS));
    }

    /** A small regular file's bytes; refused when it holds more than {@code maxBytes}. */
    byte[] readSmall(String entry, int maxBytes) throws IOException {
        try (InputStream in = open(entry)) {
            byte[] bytes = in.readNBytes(maxBytes);
            if (in.read() != -1) {
                throw new LayoutException(shown + ": " + entry + " is larger than the " + maxBytes
                        + " bytes ferry reads");
            }
            return bytes;
        }
    }

    /**
     * Opens a file to write, never through a link: an existing entry that is not a regular file is
     * refused, and the open itself does not follow one either.
     */
    FileChannel openToWrite(String entry, OpenOption... options) throws IOException {
        regularFile(entry);
        Set<OpenOption> all = new HashSet<>(List.of(options));
        all.add(LinkOption.NOFOLLOW_LINKS);
        return FileChannel.open(confined(entry), all);
    }

    /** Creates the directory and those above it below the root, refusing anything that is not a directory. */
    void createDirectories(String entry) throws IOException {
        StringBuilder prefix = new StringBuilder();
        for (String component : entry.split("/")) {
            prefix.append(prefix.isEmpty() ? "" : "/").append(component);
            Path path = confined(prefix.toString());
            try {
                Files.createDirectory(path);
            } catch (FileAlreadyExistsException e) {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (!attributes.isDirectory()) {
                    throw refused(prefix.toString(), kind(attributes), "a directory");
                }
            }
        }
    }

    /** Replaces a file atomically (temporary file beside it, fsync, rename), never writing through a link. */
    void writeAtomically(String entry, byte[] content) throws IOException {
        AtomicFiles.write(confined(entry), content);
    }

    /** Renames {@code from} over {@code to}: a link at {@code to} is replaced, not followed. */
    void move(String from, String to) throws IOException {
        Files.move(confined(from), confined(to), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes the entry itself (a link, not what it points at). */
    void deleteIfExists(String entry) throws IOException {
        Files.deleteIfExists(confined(entry));
    }

    /** The names in a directory below the root, or in the root for {@code ""}. */
    List<String> list(String directory) throws IOException {
        Path path = directory.isEmpty() ? real : confined(directory);
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isDirectory()) {
            throw refused(directory, kind(attributes), "a directory");
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** The path of {@code entry} below the real root, after checking each directory on the way. */
    Path confined(String entry) throws IOException {
        String[] components = entry.split("/");
        Path path = real;
        for (int i = 0; i < components.length; i++) {
            if (!COMPONENT.matcher(components[i]).matches()) {
                throw new LayoutException(shown + ": '" + entry + "' is not a name ferry uses in a layout");
            }
            path = path.resolve(components[i]);
            if (i < components.length - 1) {
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    continue; // what is below it is missing too
                }
                if (!attributes.isDirectory()) {
                    throw refused(String.join("/", List.of(components).subList(0, i + 1)), kind(attributes),
                            "a directory");
                }
            }
        }
        return path;
    }

    private LayoutException refused(String entry, String is, String expected) {
        return new LayoutException(shown + ": " + entry + " is " + is + ", not " + expected
                + " (ferry does not follow links or read special files in a layout)");
    }

    private static String kind(BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            return "a symbolic link";
        }
        if (attributes.isDirectory()) {
            return "a directory";
        }
        return attributes.isRegularFile() ? "a regular file" : "a device, FIFO or socket";
    }
}
