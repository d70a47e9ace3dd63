package dev.ferry.unpack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a built root filesystem as one tar, as {@code crane export} writes an image's flattened
 * filesystem: names relative to the root in sorted order, directories before what they hold, hard
 * links as links to the first name of their inode, owners from {@code user.rootlesscontainers}
 * where a rootless unpack recorded them, xattrs as PAX {@code SCHILY.xattr.*} records (byte for
 * byte: entries with xattrs get their PAX record written here, since commons-compress writes
 * values as UTF-8 text). Nothing is followed: symlinks are stored as links.
 */
public final class RootfsExporter {

    private static final int RECORD = 512;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path root;
    private final OutputStream out;
    private final TarArchiveOutputStream tar;
    private final Map<Long, String> firstNameOfInode = new HashMap<>();

    private RootfsExporter(Path root, OutputStream out) {
        this.root = root;
        this.out = out;
        // One record per block: after each entry every byte has reached `out`, so an entry's own PAX
        // record can be written between entries.
        this.tar = new TarArchiveOutputStream(out, RECORD);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    /** Writes the tree under {@code root} (not the root itself) to {@code out}, ending the tar; out stays open. */
    public static void export(Path root, OutputStream out) throws IOException {
        RootfsExporter exporter = new RootfsExporter(root, out);
        exporter.children(root, 0);
        exporter.tar.finish();
    }

    private void children(Path dir, int depth) throws IOException {
        if (depth > 4096) {
            throw new UnpackException("the tree is deeper than any unpack makes it");
        }
        List<Path> sorted;
        try (Stream<Path> list = Files.list(dir)) {
            sorted = list.sorted().toList();
        }
        for (Path p : sorted) {
            boolean directory = node(p);
            if (directory) {
                children(p, depth + 1);
            }
        }
    }

    /** Writes one node; true when it is a directory to descend into. */
    private boolean node(Path p) throws IOException {
        String name = root.relativize(p).toString();
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,ino,nlink,rdev,lastModifiedTime", NOFOLLOW);
        int mode = (Integer) a.get("mode");
        int type = mode & 0170000;
        long uid = (Integer) a.get("uid");
        long gid = (Integer) a.get("gid");
        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        for (String x : PosixCalls.llistxattr(p)) {
            byte[] value = PosixCalls.lgetxattr(p, x);
            if (value != null) {
                xattrs.put(x, value);
            }
        }
        byte[] owner = xattrs.remove(RootlessOwner.XATTR);
        RootlessOwner recorded = owner == null ? null : RootlessOwner.decode(owner);
        if (recorded != null) {
            uid = recorded.uid();
            gid = recorded.gid();
        }
        TarArchiveEntry entry;
        boolean content = false;
        String first = type != 0040000 && (Integer) a.get("nlink") > 1
                ? firstNameOfInode.putIfAbsent((Long) a.get("ino"), name) : null;
        if (first != null) {
            entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
            entry.setLinkName(first);
        } else {
            switch (type) {
                case 0040000 -> entry = new TarArchiveEntry(name + "/", TarConstants.LF_DIR, true);
                case 0120000 -> {
                    entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
                    entry.setLinkName(Files.readSymbolicLink(p).toString());
                }
                case 0100000 -> {
                    entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
                    entry.setSize(Files.size(p));
                    content = true;
                }
                case 0010000, 0020000, 0060000 -> {
                    entry = new TarArchiveEntry(name, type == 0010000 ? TarConstants.LF_FIFO
                            : type == 0020000 ? TarConstants.LF_CHR : TarConstants.LF_BLK, true);
                    long rdev = (Long) a.get("rdev");
                    entry.setDevMajor((int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL)));
                    entry.setDevMinor((int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL)));
                }
                default -> {
                    return false; // sockets: no tar type holds them, and no layer makes them
                }
            }
        }
        entry.setMode(mode & 07777);
        entry.setUserId(uid);
        entry.setGroupId(gid);
        entry.setModTime(((FileTime) a.get("lastModifiedTime")).toMillis() / 1000 * 1000);
        if (xattrs.isEmpty()) {
            tar.putArchiveEntry(entry);
            copy(p, content, tar);
            tar.closeArchiveEntry();
        } else {
            writeWithRawPax(entry, xattrs, p, content);
        }
        return type == 0040000 && first == null;
    }

    /** The entry preceded by a PAX record of its name, link name, owner and binary-exact xattrs. */
    private void writeWithRawPax(TarArchiveEntry entry, Map<String, byte[]> xattrs, Path p, boolean content)
            throws IOException {
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        record(records, "path", entry.getName().getBytes(StandardCharsets.UTF_8));
        if (!entry.getLinkName().isEmpty()) {
            record(records, "linkpath", entry.getLinkName().getBytes(StandardCharsets.UTF_8));
        }
        record(records, "uid", Long.toString(entry.getLongUserId()).getBytes(StandardCharsets.US_ASCII));
        record(records, "gid", Long.toString(entry.getLongGroupId()).getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
            record(records, NodeMetadata.XATTR_PREFIX + x.getKey(), x.getValue());
        }
        TarArchiveEntry pax = new TarArchiveEntry("PaxHeaders/" + shortName(entry.getName()), TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
        pax.setSize(records.size());
        header(pax);
        out.write(records.toByteArray());
        pad(records.size());
        // The ustar header carries what fits; the PAX record above overrides name, link and owner.
        entry.setName(shortName(entry.getName()) + (entry.isDirectory() ? "/" : ""));
        entry.setLinkName(shortName(entry.getLinkName()));
        entry.setUserId(Math.min(entry.getLongUserId(), 07777777));
        entry.setGroupId(Math.min(entry.getLongGroupId(), 07777777));
        header(entry);
        copy(p, content, out);
        pad(entry.getSize());
    }

    private void header(TarArchiveEntry e) throws IOException {
        byte[] block = new byte[RECORD];
        e.writeEntryHeader(block);
        out.write(block);
    }

    private void pad(long size) throws IOException {
        out.write(new byte[(int) ((RECORD - size % RECORD) % RECORD)]);
    }

    private static String shortName(String name) {
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        byte[] bytes = trimmed.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 99 && isUtf8(bytes)) {
            return trimmed;
        }
        return "pax-named-entry";
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static void copy(Path p, boolean content, OutputStream to) throws IOException {
        if (content) {
            try (InputStream in = Files.newInputStream(p, NOFOLLOW)) {
                in.transferTo(to);
            }
        }
    }

    /** "LENGTH KEY=VALUE\n", LENGTH counting the whole record, its own digits included. */
    static void record(ByteArrayOutputStream out, String key, byte[] value) {
        byte[] k = (key + "=").getBytes(StandardCharsets.UTF_8);
        int body = 1 + k.length + value.length + 1;
        int length = body + String.valueOf(body).length();
        length = body + String.valueOf(length).length();
        out.writeBytes(String.valueOf(length).getBytes(StandardCharsets.US_ASCII));
        out.write(' ');
        out.writeBytes(k);
        out.writeBytes(value);
        out.write('\n');
    }
}
