package dev.ferry.unpack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Makes one node of the tree at a path whose parents {@link RootResolver} has checked. Whatever
 * was at the path has been removed by the caller; every node is created anew (CREATE_NEW, never
 * opened through an existing name), so nothing is ever written through a link.
 */
final class NodeWriter {

    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int BUFFER = 64 * 1024;

    private final MetadataWriter metadata;
    private final byte[] buffer = new byte[BUFFER];
    private long bytesLeft;

    NodeWriter(MetadataWriter metadata, long maxBytes) {
        this.metadata = metadata;
        this.bytesLeft = maxBytes;
    }

    /**
     * A regular file with exactly the entry's declared (real) size of content. A sparse entry's
     * runs of zeros become holes, so its real size costs no disk.
     */
    void file(Path p, TarArchiveEntry entry, InputStream content, NodeMetadata meta,
            BiConsumer<LayerReport.Reason, String> skip) throws IOException {
        long declared = entry.isSparse() ? entry.getRealSize() : entry.getSize();
        if (declared < 0 || declared > bytesLeft) {
            throw new UnpackException("the layers declare more file bytes than the limit allows");
        }
        bytesLeft -= declared;
        boolean holes = entry.isSparse();
        long written = 0;
        try (FileChannel out = FileChannel.open(p, Set.<OpenOption>of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            int n;
            while ((n = content.read(buffer)) > 0) {
                if (n > declared - written) {
                    throw new UnpackException("an entry holds more bytes than its header declares");
                }
                if (!holes || !allZero(buffer, n)) {
                    ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                    long at = written;
                    while (chunk.hasRemaining()) {
                        at += out.write(chunk, at);
                    }
                }
                written += n;
            }
            if (written != declared) {
                throw new UnpackException("an entry ends " + (declared - written) + " bytes before its declared size");
            }
            if (out.size() < written) {
                out.write(ByteBuffer.wrap(new byte[1]), written - 1); // a trailing hole still counts in the size
            }
        }
        finish(p, meta, skip);
    }

    void directory(Path p) throws IOException {
        Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    /**
     * The target is stored as the layer has it (absolute ones included): only following it is
     * confined. Java's paths collapse repeated and trailing slashes in it, which Linux resolves alike.
     */
    void symlink(Path p, String target, NodeMetadata meta, BiConsumer<LayerReport.Reason, String> skip)
            throws IOException {
        Files.createSymbolicLink(p, p.getFileSystem().getPath(target));
        metadata.ownerAndXattrs(p, meta, true, skip);
        metadata.time(p, meta.mtime());
    }

    /** link(2) does not follow a symlink on Linux: a link to a symlink links the symlink itself. */
    void hardLink(Path p, Path existing) throws IOException {
        Files.createLink(p, existing);
    }

    /** Character and block devices (privileged only) and FIFOs, by mknod(2) with validated numbers. */
    void special(Path p, TarArchiveEntry entry, NodeMetadata meta, BiConsumer<LayerReport.Reason, String> skip)
            throws IOException {
        int type = entry.isFIFO() ? S_IFIFO : entry.isCharacterDevice() ? S_IFCHR : S_IFBLK;
        int major = entry.isFIFO() ? 0 : entry.getDevMajor();
        int minor = entry.isFIFO() ? 0 : entry.getDevMinor();
        if (major < 0 || minor < 0) {
            throw new UnpackException("a device entry has negative numbers");
        }
        PosixCalls.mknod(p, type | 0600, major, minor);
        finish(p, meta, skip);
    }

    private void finish(Path p, NodeMetadata meta, BiConsumer<LayerReport.Reason, String> skip) throws IOException {
        metadata.ownerAndXattrs(p, meta, false, skip);
        metadata.mode(p, meta.mode());
        metadata.time(p, meta.mtime());
    }

    private static boolean allZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
