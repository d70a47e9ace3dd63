package dev.ferry.unpack;

import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * What a tar header says about a node besides its kind and content: numeric owner (names in the
 * header are ignored: no lookup in any passwd file), permission bits including setuid, setgid and
 * sticky, modification time, and xattrs from PAX {@code SCHILY.xattr.*} and
 * {@code LIBARCHIVE.xattr.*} records ({@link PaxXattrs}); the latter that do not decode are listed.
 */
record NodeMetadata(int mode, long uid, long gid, FileTime mtime, Map<String, byte[]> xattrs,
        List<String> unreadableXattrs) {

    static final String XATTR_PREFIX = "SCHILY.xattr.";

    NodeMetadata {
        xattrs = Map.copyOf(xattrs);
        unreadableXattrs = List.copyOf(unreadableXattrs);
    }

    /**
     * Reads the header. {@code rawXattrs} are the xattr values as the PAX record held them (binary
     * ones such as security.capability); the entry's own map is used only for names it lacks.
     */
    static NodeMetadata of(TarArchiveEntry entry, Map<String, byte[]> rawXattrs) {
        PaxXattrs.Read xattrs = PaxXattrs.of(entry.getExtraPaxHeaders(), rawXattrs);
        return new NodeMetadata(entry.getMode() & 07777, entry.getLongUserId(), entry.getLongGroupId(),
                entry.getLastModifiedTime(), xattrs.xattrs(), xattrs.unreadable());
    }
}
