package dev.ferry.dockerarchive;

import dev.ferry.compress.Compression;
import dev.ferry.digest.Digest;
import dev.ferry.digest.Hasher;
import dev.ferry.layout.LayoutException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The files of a docker-archive (a {@code docker save} tar, gzip-compressed or not), read once as a
 * stream: every regular file is stored under a number in a work directory, never under its name, so
 * no entry name ever becomes a path. Names are validated all the same (no absolute names, no
 * {@code ..}, bounded length and count); symbolic links are kept as names and resolved inside the
 * archive only; hard links, devices and sparse files are refused. Each file's sha256 and size are
 * counted while it is stored.
 */
final class ArchiveEntries {

    static final int MAX_ENTRIES = 1 << 16;
    static final int MAX_NAME_LENGTH = 1024;
    static final int MAX_HEADER_BYTES = 64 << 10;
    private static final int MAX_LINK_HOPS = 16;
    private static final Digest SHA256 = Digest.sha256(new byte[0]);

    /**
     * A regular file of the archive, stored in the work directory.
     *
     * @param compression what its first bytes say (a layer's file may be moved away once taken)
     */
    record Stored(String name, Path file, long size, Digest digest, Compression compression) {
    }

    private final String archive;
    private final Map<String, Stored> files = new HashMap<>();
    private final Map<String, String> links = new HashMap<>();

    private ArchiveEntries(String archive) {
        this.archive = archive;
    }

    /**
     * Reads every entry of {@code in} (the archive, gzip-compressed or not) into {@code workDir}.
     *
     * @param archive the archive as messages name it
     */
    static ArchiveEntries read(InputStream in, String archive, Path workDir) throws IOException {
        ArchiveEntries entries = new ArchiveEntries(archive);
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 20);
        buffered.mark(4);
        byte[] head = buffered.readNBytes(4);
        buffered.reset();
        InputStream plain = Compression.detect(head, head.length) == Compression.GZIP
                ? Compression.GZIP.open(buffered) : buffered;
        try (TarArchiveInputStream tar = new BoundedHeaders(plain, entries)) {
            entries.readAll(tar, workDir);
        } catch (LayoutException e) {
            throw e;
        } catch (IOException e) {
            throw entries.invalid("it cannot be read as a tar archive (" + e.getMessage() + ")");
        }
        return entries;
    }

    private void readAll(TarArchiveInputStream tar, Path workDir) throws IOException {
        int count = 0;
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            if (++count > MAX_ENTRIES) {
                throw invalid("it holds more than " + MAX_ENTRIES + " entries");
            }
            String name = normalize(entry.getName());
            if (name.isEmpty() || entry.isDirectory()) {
                continue;
            }
            if (files.containsKey(name) || links.containsKey(name)) {
                throw invalid("it holds '" + shown(name) + "' twice");
            }
            if (entry.isSymbolicLink()) {
                links.put(name, entry.getLinkName());
                continue;
            }
            boolean regular = entry.getLinkFlag() == TarConstants.LF_NORMAL || entry.getLinkFlag() == TarConstants.LF_OLDNORM;
            if (entry.isLink()) {
                throw invalid("'" + shown(name) + "' is a hard link, which ferry does not follow");
            }
            if (!regular || entry.isSparse()) {
                throw invalid("'" + shown(name) + "' is not a regular file, directory or symbolic link");
            }
            long limit = DockerArchiveReader.limitFor(name);
            if (entry.getSize() > limit) {
                throw invalid("'" + shown(name) + "' is " + entry.getSize() + " bytes, more than the " + limit
                        + " ferry reads");
            }
            Path file = workDir.resolve(Integer.toString(count));
            files.put(name, store(tar, name, file, entry.getSize()));
        }
    }

    /** Copies exactly the entry's declared size, hashing it. */
    private Stored store(InputStream tar, String name, Path file, long size) throws IOException {
        Hasher hasher = SHA256.newHasher(size);
        byte[] buffer = new byte[1 << 16];
        byte[] head = new byte[4];
        int headLength = 0;
        long left = size;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (left > 0) {
                int n = tar.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw invalid("it ends inside '" + shown(name) + "' (truncated archive)");
                }
                hasher.update(buffer, 0, n);
                out.write(buffer, 0, n);
                int take = Math.min(n, head.length - headLength);
                System.arraycopy(buffer, 0, head, headLength, take);
                headLength += take;
                left -= n;
            }
        } catch (LayoutException e) {
            throw e;
        } catch (IOException e) {
            throw invalid("it ends inside '" + shown(name) + "' (" + e.getMessage() + ")");
        }
        return new Stored(name, file, size, hasher.digest(), Compression.detect(head, headLength));
    }

    /** An entry name without {@code ./} prefixes; refused when absolute, with {@code ..} or too long. */
    private String normalize(String raw) throws LayoutException {
        if (raw.length() > MAX_NAME_LENGTH) {
            throw invalid("it holds an entry with a name of " + raw.length() + " characters");
        }
        if (raw.startsWith("/") || raw.indexOf('\\') >= 0 || raw.indexOf('\0') >= 0) {
            throw invalid("it holds the entry '" + shown(raw) + "', which is absolute or not a plain name");
        }
        List<String> parts = new ArrayList<>();
        for (String part : raw.split("/")) {
            if (part.equals("..")) {
                throw invalid("it holds the entry '" + shown(raw) + "', which leaves the archive");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    /**
     * The regular file a name means, following symbolic links inside the archive only.
     *
     * @param from what names it, for messages
     */
    Stored file(String name, String from) throws LayoutException {
        String current = normalize(name);
        for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
            Stored stored = files.get(current);
            if (stored != null) {
                return stored;
            }
            String target = links.get(current);
            if (target == null) {
                throw invalid(from + " names '" + shown(name) + "', which it does not hold");
            }
            current = resolveLink(current, target, from);
        }
        throw invalid(from + " names '" + shown(name) + "', a chain of more than " + MAX_LINK_HOPS + " links");
    }

    /** A link's target relative to the link's directory; leaving the archive is refused. */
    private String resolveLink(String link, String target, String from) throws LayoutException {
        if (target.startsWith("/")) {
            throw invalid(from + ": '" + shown(link) + "' is a symbolic link leaving the archive");
        }
        List<String> parts = new ArrayList<>(List.of(link.split("/")));
        parts.removeLast();
        for (String part : target.split("/")) {
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw invalid(from + ": '" + shown(link) + "' is a symbolic link leaving the archive");
                }
                parts.removeLast();
            } else if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    boolean has(String name) {
        return files.containsKey(name) || links.containsKey(name);
    }

    LayoutException invalid(String why) {
        return new LayoutException(archive + " is not a valid docker-archive: " + why);
    }

    /** An entry name for a message: bounded, control characters replaced. */
    static String shown(String name) {
        String cut = name.length() > 128 ? name.substring(0, 128) + "..." : name;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /**
     * commons-compress reads a PAX header or GNU long name into memory whole: one larger than any
     * docker-archive needs is refused before it is read.
     */
    private static final class BoundedHeaders extends TarArchiveInputStream {
        private final ArchiveEntries entries;

        BoundedHeaders(InputStream in, ArchiveEntries entries) {
            super(in);
            this.entries = entries;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            TarArchiveEntry current = getCurrentEntry();
            if (current != null && (current.isPaxHeader() || current.isGlobalPaxHeader() || current.isGNULongNameEntry()
                    || current.isGNULongLinkEntry()) && current.getSize() > MAX_HEADER_BYTES) {
                throw entries.invalid("it holds an extended header of " + current.getSize() + " bytes");
            }
            return super.read(buffer, offset, length);
        }
    }
}
