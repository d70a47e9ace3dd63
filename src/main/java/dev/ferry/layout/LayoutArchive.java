package dev.ferry.layout;

import dev.ferry.files.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * An OCI layout as one tar file ({@code oci-archive:}, as skopeo writes and reads it): the layout's
 * files at the top of the tar. Packing writes a temporary file beside the archive and renames it
 * over the archive, so a reader never sees half an archive. Unpacking takes only the files a layout
 * has ({@code oci-layout}, {@code index.json}, {@code blobs/ALG/HEX}) as regular, non-sparse files,
 * each once, through {@link LayoutFiles}, so no entry can write outside the directory or expand
 * beyond its declared size; the blobs are verified later, when they are read.
 */
public final class LayoutArchive {

    private static final Pattern LAYOUT_ENTRY =
            Pattern.compile("oci-layout|index\\.json|blobs/[a-z0-9]+(?:[+._-][a-z0-9]+)*/[a-zA-Z0-9=_-]+");
    /** Far more than a layout of many images has; each entry costs at least a 512-byte header. */
    static final int MAX_ENTRIES = 1 << 16;
    /** The longest layout name is {@code blobs/sha512/} and 128 hex digits; {@code ./} prefixes aside. */
    static final int MAX_NAME_LENGTH = 256;
    /** A PAX header or GNU long name for a layout entry takes a few hundred bytes. */
    static final int MAX_HEADER_BYTES = 64 << 10;
    private static final Pattern LAYOUT_DIRECTORY = Pattern.compile("blobs/?|blobs/[a-z0-9]+(?:[+._-][a-z0-9]+)*/?");

    private LayoutArchive() {
    }

    /**
     * A new, empty directory to work in beside {@code archive} (so that the blobs stay on the
     * archive's file system), or in the temporary directory when that one cannot be written.
     * The caller deletes it with {@link dev.ferry.files.FileTrees#delete(Path)}.
     */
    public static Path workDirectory(Path archive) throws IOException {
        Path absolute = archive.toAbsolutePath();
        Path parent = absolute.getParent();
        try {
            if (parent != null && Files.isDirectory(parent)) {
                return Files.createTempDirectory(parent, "." + absolute.getFileName() + ".ferry-");
            }
        } catch (AccessDeniedException e) {
            // a read-only directory of a source archive: unpack elsewhere
        }
        return Files.createTempDirectory("ferry-archive-");
    }

    /** Packs the layout in {@code layoutDir} into {@code archive}, replacing it atomically. */
    public static void pack(Path layoutDir, Path archive) throws IOException {
        LayoutFiles layout = LayoutFiles.at(layoutDir.toAbsolutePath().normalize());
        List<String> files = new ArrayList<>(List.of(OciLayout.LAYOUT_FILE, OciLayout.INDEX_FILE));
        List<String> blobs = new ArrayList<>();
        for (String algorithm : layout.list("blobs")) {
            for (String hex : layout.list("blobs/" + algorithm)) {
                blobs.add("blobs/" + algorithm + "/" + hex);
            }
        }
        blobs.stream().sorted().forEach(files::add);
        AtomicFiles.write(archive.toAbsolutePath(), out -> {
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new BufferedOutputStream(out, 1 << 20))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                Set<String> directories = new HashSet<>();
                for (String name : files) {
                    for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
                        String directory = name.substring(0, i + 1);
                        if (directories.add(directory)) {
                            TarArchiveEntry entry = new TarArchiveEntry(directory);
                            fixed(entry, 0755);
                            tar.putArchiveEntry(entry);
                            tar.closeArchiveEntry();
                        }
                    }
                    BasicFileAttributes attributes = layout.regularFile(name);
                    if (attributes == null) {
                        throw new LayoutException(layoutDir + " lacks " + name);
                    }
                    TarArchiveEntry entry = new TarArchiveEntry(name);
                    entry.setSize(attributes.size());
                    fixed(entry, 0644);
                    tar.putArchiveEntry(entry);
                    try (InputStream in = layout.open(name)) {
                        in.transferTo(tar);
                    }
                    tar.closeArchiveEntry();
                }
            }
        });
    }

    /** Owner root, a fixed time: the same layout always packs into the same bytes. */
    private static void fixed(TarArchiveEntry entry, int mode) {
        entry.setMode(mode);
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setModTime(0);
    }

    /**
     * Unpacks {@code archive} into {@code dir} (which must exist and be empty): the layout's files,
     * nothing else.
     *
     * @throws LayoutException when the archive is not a tar of an OCI layout
     */
    public static void unpack(Path archive, Path dir) throws IOException {
        unpack(archive, dir, Long.MAX_VALUE);
    }

    /**
     * As {@link #unpack(Path, Path)}, leaving out blobs larger than {@code maxBlobBytes}: enough to
     * read manifests and configs (which have size limits of their own) without copying the layers.
     */
    public static void unpack(Path archive, Path dir, long maxBlobBytes) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw new LayoutException(archive + " does not exist or is not a file");
        }
        LayoutFiles files = LayoutFiles.at(dir.toAbsolutePath().normalize());
        Set<String> seen = new HashSet<>();
        int count = 0;
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 20);
                TarArchiveInputStream tar = new BoundedHeaders(file, archive)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (++count > MAX_ENTRIES) {
                    throw notLayout(archive, "it holds more than " + MAX_ENTRIES + " entries");
                }
                String name = entry.getName();
                if (name.length() > MAX_NAME_LENGTH) {
                    throw notLayout(archive, "it holds an entry with a name of " + name.length() + " characters");
                }
                while (name.startsWith("./")) {
                    name = name.substring(2);
                }
                if (name.isEmpty() || name.equals(".") || entry.isDirectory() && LAYOUT_DIRECTORY.matcher(name).matches()) {
                    continue;
                }
                // Regular files only: commons-compress counts links as files too.
                boolean regular = entry.getLinkFlag() == TarConstants.LF_NORMAL
                        || entry.getLinkFlag() == TarConstants.LF_OLDNORM;
                if (!regular || !LAYOUT_ENTRY.matcher(name).matches()) {
                    throw notLayout(archive, "it holds '" + entry.getName() + "', which no layout has");
                }
                // A sparse entry expands to far more than it stores (a few KiB to gigabytes of
                // zeros); no layout tool writes one.
                if (entry.isSparse()) {
                    throw notLayout(archive, "'" + name + "' is a sparse file, which no layout has");
                }
                if (!seen.add(name)) {
                    throw notLayout(archive, "it holds '" + name + "' twice");
                }
                if (name.startsWith("blobs/") && Math.max(entry.getSize(), entry.getRealSize()) > maxBlobBytes) {
                    continue;
                }
                int slash = name.lastIndexOf('/');
                if (slash > 0) {
                    files.createDirectories(name.substring(0, slash));
                }
                try (OutputStream out = Channels.newOutputStream(files.openToWrite(name,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
                    copy(archive, name, tar, out, entry.getSize());
                }
            }
        } catch (IOException e) {
            if (e instanceof LayoutException) {
                throw e;
            }
            throw new LayoutException(archive + " cannot be read as a tar archive: " + e.getMessage());
        }
        if (files.regularFile(OciLayout.LAYOUT_FILE) == null) {
            throw notLayout(archive, "it has no oci-layout file");
        }
    }

    /** Copies exactly the entry's declared size: an entry that yields more is refused, not written. */
    private static void copy(Path archive, String name, InputStream tar, OutputStream out, long size)
            throws IOException {
        byte[] buffer = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = tar.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw notLayout(archive, "'" + name + "' ends before its declared size");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
        if (tar.read() != -1) {
            throw notLayout(archive, "'" + name + "' holds more than its declared size");
        }
    }

    /**
     * commons-compress reads a PAX extended header or a GNU long name into memory whole, through
     * this stream's own read: a header entry larger than any layout entry needs is refused before
     * its first byte is read, so a crafted archive cannot fill the heap with one.
     */
    private static final class BoundedHeaders extends TarArchiveInputStream {

        private final Path archive;

        BoundedHeaders(InputStream in, Path archive) {
            super(in);
            this.archive = archive;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            TarArchiveEntry current = getCurrentEntry();
            if (current != null && (current.isPaxHeader() || current.isGlobalPaxHeader() || current.isGNULongNameEntry()
                    || current.isGNULongLinkEntry()) && current.getSize() > MAX_HEADER_BYTES) {
                throw notLayout(archive, "it holds an extended header of " + current.getSize() + " bytes");
            }
            return super.read(buffer, offset, length);
        }
    }

    private static LayoutException notLayout(Path archive, String why) {
        return new LayoutException(archive + " is not an OCI layout archive: " + why);
    }
}
