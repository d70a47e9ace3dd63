package dev.ferry.unpack;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds a layer tar entry by entry, with the header fields a test needs to set. */
final class TarBuilder {

    private static final int RECORD = 512;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private int longFileMode = TarArchiveOutputStream.LONGFILE_POSIX;

    /** Gives GNU long-name ('L') headers instead of PAX path records for long names. */
    TarBuilder gnuLongNames() {
        longFileMode = TarArchiveOutputStream.LONGFILE_GNU;
        return this;
    }

    TarBuilder file(String name, String content) {
        return file(name, content, 0644, 0, 0);
    }

    TarBuilder file(String name, String content, int mode, int uid, int gid) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, mode, uid, gid);
        e.setSize(data.length);
        return put(e, data);
    }

    TarBuilder fileWithXattr(String name, String content, String xattr, String value) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, 0644, 0, 0);
        e.setSize(data.length);
        e.addPaxHeader("SCHILY.xattr." + xattr, value);
        return put(e, data);
    }

    /** A file with these PAX records (key, text value) in its 'x' header. */
    TarBuilder fileWithPax(String name, String content, java.util.Map<String, String> records) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, 0644, 0, 0);
        e.setSize(data.length);
        records.forEach(e::addPaxHeader);
        return put(e, data);
    }

    TarBuilder dir(String name) {
        return dir(name, 0755, 0, 0);
    }

    TarBuilder dir(String name, int mode, int uid, int gid) {
        return put(entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, mode, uid, gid), null);
    }

    TarBuilder symlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, 0777, 0, 0);
        e.setLinkName(target);
        return put(e, null);
    }

    TarBuilder hardLink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_LINK, 0644, 0, 0);
        e.setLinkName(target);
        return put(e, null);
    }

    TarBuilder fifo(String name) {
        return put(entry(name, TarConstants.LF_FIFO, 0644, 0, 0), null);
    }

    TarBuilder charDevice(String name, int major, int minor) {
        TarArchiveEntry e = entry(name, TarConstants.LF_CHR, 0666, 0, 0);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        return put(e, null);
    }

    /**
     * A raw entry: this header type with these content bytes (PAX records, sparse maps), header
     * and padding written here, since commons-compress interprets such entries when writing.
     */
    TarBuilder raw(String name, byte type, byte[] content) {
        TarArchiveEntry e = entry(name, type, 0644, 0, 0);
        e.setSize(content.length);
        byte[] header = new byte[RECORD];
        e.writeEntryHeader(header);
        bytes.writeBytes(header);
        bytes.writeBytes(content);
        bytes.writeBytes(new byte[(RECORD - content.length % RECORD) % RECORD]);
        return this;
    }

    /** A PAX 'x' record whose xattr value is binary, written as bytes, for the next entry. */
    TarBuilder binaryXattr(String xattr, byte[] value) {
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        record(records, "SCHILY.xattr." + xattr, value);
        return raw("PaxHeaders/next", TarConstants.LF_PAX_EXTENDED_HEADER_LC, records.toByteArray());
    }

    /** A PAX global header ('g') with these records, for every entry after it. */
    TarBuilder globalHeader(String key, String value) {
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        record(records, key, value.getBytes(StandardCharsets.UTF_8));
        return raw("pax_global_header", TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER, records.toByteArray());
    }

    /**
     * A GNU PAX 1.0 sparse file, as GNU tar writes it: {@code data} at {@code offset} in a file of
     * {@code realSize} bytes. The PAX records are written raw: commons-compress would apply
     * GNU.sparse.* keys to the entry instead of writing them.
     */
    TarBuilder sparse(String name, long realSize, long offset, byte[] data) {
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        record(records, "GNU.sparse.major", "1".getBytes(StandardCharsets.UTF_8));
        record(records, "GNU.sparse.minor", "0".getBytes(StandardCharsets.UTF_8));
        record(records, "GNU.sparse.name", name.getBytes(StandardCharsets.UTF_8));
        record(records, "GNU.sparse.realsize", Long.toString(realSize).getBytes(StandardCharsets.UTF_8));
        raw("PaxHeaders/sparse", TarConstants.LF_PAX_EXTENDED_HEADER_LC, records.toByteArray());
        // GNU tar ends the map with an empty run at the real size; readers rely on it.
        String map = "2\n" + offset + "\n" + data.length + "\n" + realSize + "\n0\n";
        byte[] content = new byte[512 + data.length];
        System.arraycopy(map.getBytes(StandardCharsets.US_ASCII), 0, content, 0, map.length());
        System.arraycopy(data, 0, content, 512, data.length);
        return raw("GNUSparseFile.0/" + name, TarConstants.LF_NORMAL, content);
    }

    /** "LENGTH KEY=VALUE\n", LENGTH counting the whole record, its own digits included. */
    private static void record(ByteArrayOutputStream out, String key, byte[] value) {
        byte[] k = (key + "=").getBytes(StandardCharsets.UTF_8);
        int body = 1 + k.length + value.length + 1; // space, key=, value, newline
        int length = body + String.valueOf(body).length();
        length = body + String.valueOf(length).length();
        out.writeBytes(String.valueOf(length).getBytes(StandardCharsets.UTF_8));
        out.write(' ');
        out.writeBytes(k);
        out.writeBytes(value);
        out.write('\n');
    }

    private static TarArchiveEntry entry(String name, byte type, int mode, int uid, int gid) {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setMode(mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setModTime(1_600_000_000_000L);
        return e;
    }

    /** One entry through commons-compress, without the two end-of-archive records it adds. */
    private TarBuilder put(TarArchiveEntry e, byte[] data) {
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(one, RECORD)) {
            tar.setLongFileMode(longFileMode);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.putArchiveEntry(e);
            if (data != null) {
                tar.write(data);
            }
            tar.closeArchiveEntry();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        bytes.write(one.toByteArray(), 0, one.size() - 2 * RECORD);
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream done = new ByteArrayOutputStream();
        done.writeBytes(bytes.toByteArray());
        done.writeBytes(new byte[2 * RECORD]);
        return done.toByteArray();
    }

    InputStream stream() {
        return new ByteArrayInputStream(bytes());
    }
}
