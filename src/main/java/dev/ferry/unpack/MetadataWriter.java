package dev.ferry.unpack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Applies a header's metadata to a node, never through a symlink, in the order that keeps each
 * step: owner first (chown clears setuid, setgid and file capabilities), then xattrs, then the
 * mode, then the time.
 */
final class MetadataWriter {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final boolean privileged;

    /** @param privileged chown, mknod and security.* / trusted.* xattrs; otherwise rootless ways */
    MetadataWriter(boolean privileged) {
        this.privileged = privileged;
    }

    boolean privileged() {
        return privileged;
    }

    /** Owner and xattrs: what may be set before the node's children exist. */
    void ownerAndXattrs(Path p, NodeMetadata meta, boolean symlink, BiConsumer<LayerReport.Reason, String> skip)
            throws IOException {
        if (privileged) {
            Files.setAttribute(p, "unix:uid", (int) meta.uid(), NOFOLLOW);
            Files.setAttribute(p, "unix:gid", (int) meta.gid(), NOFOLLOW);
        } else {
            byte[] owner = RootlessOwner.encode(meta.uid(), meta.gid());
            if (owner != null && !symlink) {
                // Linux allows no user.* xattr on a symlink; umoci drops the owner there too.
                PosixCalls.lsetxattr(p, RootlessOwner.XATTR, owner);
            }
        }
        for (String record : meta.unreadableXattrs()) {
            skip.accept(LayerReport.Reason.INCONSISTENT, "PAX record " + record + " is not a URL-encoded name with a base64 value");
        }
        for (Map.Entry<String, byte[]> xattr : meta.xattrs().entrySet()) {
            String name = xattr.getKey();
            if (name.equals(RootlessOwner.XATTR)) {
                skip.accept(LayerReport.Reason.UNSAFE, "xattr " + name + " is ferry's own record of owners, not the layer's");
            } else if (!name.startsWith("user.") && !(privileged && (name.startsWith("security.") || name.startsWith("trusted.")))) {
                skip.accept(LayerReport.Reason.UNSUPPORTED, "xattr " + name + " is not set " + (privileged ? "by ferry" : "rootless"));
            } else if (symlink && name.startsWith("user.")) {
                skip.accept(LayerReport.Reason.UNSUPPORTED, "xattr " + name + ": Linux allows no user.* xattr on a symlink");
            } else {
                try {
                    PosixCalls.lsetxattr(p, name, xattr.getValue());
                } catch (PosixCalls.ErrnoException e) {
                    if (e.errno() != PosixCalls.EPERM && e.errno() != PosixCalls.ENOTSUP) {
                        throw e;
                    }
                    skip.accept(LayerReport.Reason.UNSUPPORTED, "xattr " + name + " refused by the file system (errno " + e.errno() + ")");
                }
            }
        }
    }

    /** Permission bits, setuid, setgid and sticky included; never on a symlink (Linux has no lchmod). */
    void mode(Path p, int mode) throws IOException {
        PosixCalls.chmod(p, mode & 07777);
    }

    /** Modification (and access) time of the node itself. */
    void time(Path p, FileTime mtime) throws IOException {
        if (mtime != null) {
            java.time.Instant t = mtime.toInstant();
            PosixCalls.setTimes(p, t.getEpochSecond(), t.getNano());
        }
    }
}
