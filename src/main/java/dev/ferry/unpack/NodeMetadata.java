package dev.ferry.unpack;

import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * What a tar header says about a node besides its kind and content: numeric owner (names in the
 * header are ignored: no lookup in any passwd file), permission bits including setuid, setgid and
 * sticky, modification time, and xattrs from PAX {@code SCHILY.xattr.*} records.
 */
record NodeMetadata(int mode, long uid, long gid, FileTime mtime, Map<String, byte[]> xattrs) {

    static final String XATTR_PREFIX = "SCHILY.xattr.";

    NodeMetadata {
        xattrs = Map.copyOf(xattrs);
    }

    /**
     * Reads the header. {@code rawXattrs} are the xattr values as the PAX record held them (binary
     * ones such as security.capability); the entry's own map is used only for names it lacks.
     */
    static NodeMetadata of(TarArchiveEntry entry, Map<String, byte[]> rawXattrs) {
        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : entry.getExtraPaxHeaders().entrySet()) {
            if (header.getKey().startsWith(XATTR_PREFIX) && header.getKey().length() > XATTR_PREFIX.length()) {
                String name = header.getKey().substring(XATTR_PREFIX.length());
                byte[] raw = rawXattrs.get(name);
                xattrs.put(name, raw != null ? raw : header.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return new NodeMetadata(entry.getMode() & 07777, entry.getLongUserId(), entry.getLongGroupId(),
                entry.getLastModifiedTime(), xattrs);
    }
}
