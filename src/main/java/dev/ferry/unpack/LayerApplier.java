package dev.ferry.unpack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Builds a root filesystem from an image's layers, applied in order with the OCI changeset rules:
 * whiteouts ({@code .wh.NAME}) and opaque markers ({@code .wh..wh..opq}) hide what lower layers
 * put there, never what the same layer adds, and are never written; a new entry replaces what
 * was at its name (a directory with its subtree) unless both are directories; the last of
 * duplicate entries wins. Directory modes and times are applied by {@link #finish()}, after
 * every child is in place, so read-only and mode-000 directories can still be filled.
 *
 * <p>Nothing outside the root is ever touched: see {@link RootResolver}. Names are refused rather
 * than cleaned when they climb out ("..") and reported in the layer's {@link LayerReport}.
 */
public final class LayerApplier {

    private final RootResolver resolver;
    private final UnpackLimits limits;
    private final MetadataWriter metadata;
    private final NodeWriter writer;
    /** Directory metadata applied at finish, keyed by real path ("" is the root); children sort after parents. */
    private final TreeMap<String, NodeMetadata> directories = new TreeMap<>();
    private long entries;
    private boolean finished;

    /** @param root an existing, empty directory that only this applier writes until {@link #finish()} */
    public LayerApplier(Path root, UnpackOptions options) throws IOException {
        BasicFileAttributes attributes = RootResolver.lstat(root);
        if (attributes == null || !attributes.isDirectory()) {
            throw new UnpackException("the root " + root + " is not a directory");
        }
        try (Stream<Path> children = Files.list(root)) {
            if (children.findAny().isPresent()) {
                throw new UnpackException("the root " + root + " is not empty");
            }
        }
        this.resolver = new RootResolver(root.toAbsolutePath(), options.limits());
        this.limits = options.limits();
        this.metadata = new MetadataWriter(!options.rootless() && Privileges.isRoot());
        this.writer = new NodeWriter(metadata, options.limits().maxBytes());
    }

    /** True when owners are set and device nodes made; false when rootless (asked for, or not root). */
    public boolean privileged() {
        return metadata.privileged();
    }

    /** Applies one uncompressed layer tar; the stream is read to the tar's end and not closed. */
    public LayerReport apply(InputStream uncompressedTar, String layerName) throws IOException {
        if (finished) {
            throw new IllegalStateException("finish() was called");
        }
        Layer layer = new Layer(layerName);
        RawPaxStream tar = new RawPaxStream(uncompressedTar);
        while (true) {
            TarArchiveEntry entry;
            try {
                entry = tar.next();
            } catch (IOException e) {
                throw new UnpackException("layer " + layerName + " is not a readable tar: " + e.getMessage(), e);
            }
            if (entry == null) {
                break;
            }
            if (++entries > limits.maxEntries()) {
                throw new UnpackException("the layers hold more than " + limits.maxEntries() + " entries");
            }
            try {
                apply(entry, tar, layer);
            } catch (EntryName.Refused refused) {
                layer.skip(entry.getName(), refused.reason(), refused.getMessage());
            }
        }
        return layer.report();
    }

    private void apply(TarArchiveEntry entry, RawPaxStream tar, Layer layer) throws EntryName.Refused, IOException {
        EntryName name = EntryName.parse(entry.getName(), limits);
        NodeMetadata meta = NodeMetadata.of(entry, tar.rawXattrs());
        if (name.isRoot()) {
            if (!isDirectory(entry)) {
                throw new EntryName.Refused("the root itself cannot be replaced by a non-directory");
            }
            metadata.ownerAndXattrs(resolver.root(), meta, false, layer.skipper(entry));
            directories.put("", meta);
            layer.applied++;
            return;
        }
        if (name.isOpaqueMarker()) {
            List<String> dir = resolver.directory(name.parent(), true, layer::touch);
            layer.touchChain(dir);
            try (Stream<Path> children = Files.list(resolver.path(dir))) {
                for (Path child : children.toList()) {
                    removeUntouched(join(dir, child.getFileName().toString()), layer);
                }
            }
            layer.applied++;
            return;
        }
        if (name.isWhiteout()) {
            whiteout(name, entry, layer);
            return;
        }
        List<String> parent = resolver.directory(name.parent(), true, layer::touch);
        layer.touchChain(parent);
        List<String> real = new ArrayList<>(parent);
        real.add(name.last());
        String rel = String.join("/", real);
        Path p = resolver.path(real);
        BasicFileAttributes existing = RootResolver.lstat(p);
        if (isDirectory(entry)) {
            if (existing == null || !existing.isDirectory()) {
                remove(rel, p);
                writer.directory(p);
            }
            metadata.ownerAndXattrs(p, meta, false, layer.skipper(entry));
            directories.put(rel, meta);
        } else if (entry.isSymbolicLink()) {
            String target = entry.getLinkName();
            if (target.isEmpty() || target.indexOf('\0') >= 0) {
                throw new EntryName.Refused(LayerReport.Reason.INCONSISTENT, "a symlink needs a target without NUL");
            }
            remove(rel, p);
            writer.symlink(p, target, meta, layer.skipper(entry));
        } else if (entry.isLink()) {
            Path existingTarget = linkTarget(entry.getLinkName());
            if (!existingTarget.equals(p)) {
                remove(rel, p);
                try {
                    writer.hardLink(p, existingTarget);
                } catch (NoSuchFileException gone) {
                    throw new EntryName.Refused(LayerReport.Reason.INCONSISTENT, "the hard link's target was below the node it replaced");
                }
            }
        } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            if (!entry.isFIFO() && !metadata.privileged()) {
                throw new EntryName.Refused(LayerReport.Reason.UNSUPPORTED, "device nodes are made only when unpacking as root, not rootless");
            }
            remove(rel, p);
            writer.special(p, entry, meta, layer.skipper(entry));
        } else if (entry.isFile() || entry.isSparse()) {
            remove(rel, p);
            writer.file(p, entry, tar.content(), meta, layer.skipper(entry));
        } else {
            throw new EntryName.Refused(LayerReport.Reason.UNSUPPORTED, "tar entry type '" + (char) entry.getLinkFlag() + "' is not a file system node");
        }
        layer.touched.add(rel);
        layer.applied++;
    }

    /**
     * The header's type decides; a trailing slash makes a directory only of a regular-file type (old
     * tars marked directories so), never of a symlink or link named "./".
     */
    private static boolean isDirectory(TarArchiveEntry entry) {
        return !entry.isSymbolicLink() && !entry.isLink() && !entry.isCharacterDevice() && !entry.isBlockDevice()
                && !entry.isFIFO() && entry.isDirectory();
    }

    /** {@code .wh.NAME}: removes NAME as lower layers left it; a name that is not there is no error. */
    private void whiteout(EntryName name, TarArchiveEntry entry, Layer layer) throws IOException {
        String hidden = name.hidden();
        if (hidden.isEmpty()) {
            layer.skip(entry.getName(), LayerReport.Reason.UNSUPPORTED, "AUFS metadata, not a whiteout");
            return;
        }
        List<String> dir;
        try {
            dir = resolver.directory(name.parent(), false, created -> { });
        } catch (EntryName.Refused notThere) {
            dir = null; // a parent that is a file or a loop holds nothing to hide
        }
        if (dir != null) {
            removeUntouched(join(dir, hidden), layer);
        }
        layer.applied++;
    }

    /** The existing node a hard link names: inside the root, already there, not a directory. */
    private Path linkTarget(String linkName) throws EntryName.Refused, IOException {
        EntryName target = EntryName.parse(linkName, limits);
        if (target.isRoot()) {
            throw new EntryName.Refused("a hard link cannot name the root");
        }
        List<String> dir = resolver.directory(target.parent(), false, created -> { });
        BasicFileAttributes attributes = dir == null ? null : RootResolver.lstat(resolver.path(join(dir, target.last())));
        if (attributes == null) {
            throw new EntryName.Refused(LayerReport.Reason.INCONSISTENT, "the hard link's target is not in the tree");
        }
        if (attributes.isDirectory()) {
            throw new EntryName.Refused(LayerReport.Reason.INCONSISTENT, "a hard link cannot name a directory");
        }
        return resolver.path(join(dir, target.last()));
    }

    /** Removes what lower layers put at {@code real}, keeping whatever this layer wrote there. */
    private void removeUntouched(List<String> real, Layer layer) throws IOException {
        String rel = String.join("/", real);
        Path p = resolver.path(real);
        if (!layer.touched.contains(rel)) {
            remove(rel, p);
            return;
        }
        BasicFileAttributes attributes = RootResolver.lstat(p);
        if (attributes != null && attributes.isDirectory()) {
            try (Stream<Path> children = Files.list(p)) {
                for (Path child : children.toList()) {
                    removeUntouched(join(real, child.getFileName().toString()), layer);
                }
            }
        }
    }

    private void remove(String rel, Path p) throws IOException {
        Trees.remove(p);
        directories.remove(rel);
        directories.subMap(rel + "/", rel + "0").clear(); // '0' follows '/': exactly the paths below rel
    }

    /**
     * Applies directory modes and times, children before parents (a parent's time would change
     * with each child written, and a read-only parent would stop a child's chmod as non-root).
     */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        for (Map.Entry<String, NodeMetadata> dir : directories.descendingMap().entrySet()) {
            List<String> real = dir.getKey().isEmpty() ? List.of() : List.of(dir.getKey().split("/"));
            Path p = resolver.path(real);
            BasicFileAttributes attributes = RootResolver.lstat(p);
            if (attributes != null && attributes.isDirectory()) {
                metadata.mode(p, dir.getValue().mode());
                metadata.time(p, dir.getValue().mtime());
            }
        }
    }

    private static List<String> join(List<String> dir, String name) {
        List<String> real = new ArrayList<>(dir);
        real.add(name);
        return real;
    }

    /** One layer's bookkeeping: what it touched (opaque markers and whiteouts spare it) and its report. */
    private static final class Layer {
        final String name;
        final Set<String> touched = new HashSet<>();
        final List<LayerReport.Skipped> skipped = new ArrayList<>();
        long unlisted;
        long applied;

        Layer(String name) {
            this.name = name;
        }

        void touch(List<String> real) {
            touched.add(String.join("/", real));
        }

        void touchChain(List<String> real) {
            for (int i = 1; i <= real.size(); i++) {
                touched.add(String.join("/", real.subList(0, i)));
            }
        }

        void skip(String entryName, LayerReport.Reason reason, String detail) {
            if (skipped.size() < LayerReport.MAX_LISTED) {
                skipped.add(new LayerReport.Skipped(entryName, reason, detail));
            } else {
                unlisted++;
            }
        }

        java.util.function.BiConsumer<LayerReport.Reason, String> skipper(TarArchiveEntry entry) {
            return (reason, detail) -> skip(entry.getName(), reason, detail);
        }

        LayerReport report() {
            return new LayerReport(name, applied, skipped, unlisted);
        }
    }
}
