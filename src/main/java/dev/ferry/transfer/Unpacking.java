package dev.ferry.transfer;

import dev.ferry.digest.Digest;
import dev.ferry.files.FileTrees;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.ImageManifest;
import dev.ferry.manifest.Manifest;
import dev.ferry.manifest.Platform;
import dev.ferry.unpack.LayerApplier;
import dev.ferry.unpack.LayerReport;
import dev.ferry.unpack.RuntimeBundle;
import dev.ferry.unpack.UnpackOptions;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An image's layers applied to a root filesystem, in the manifest's order. Unlike a copy the
 * layers cannot move in parallel: each is applied over the ones before it, so they stream one
 * after another straight from the source into the tree (no compressed copy on disk), each
 * checked for size, digest and diff_id on the way. The tree is built in a work directory beside
 * the target ({@code .NAME.ferry-*}) and renamed to it only when every layer verified; a failure
 * removes the work directory, and one left by a kill is never reused, so a rerun starts clean.
 */
public final class Unpacking {

    /** What to build at the target besides (or instead of) the plain tree. */
    public interface Layout {
        /** Refuses, before any layer is fetched, an image config this layout cannot use. */
        default void check(byte[] imageConfig) throws IOException {
        }

        /** Where the tree goes inside the work directory (the work directory itself for a plain tree). */
        Path rootfs(Path work) throws IOException;

        /** Writes what else the target holds, once the tree is finished. */
        void complete(Path work, byte[] imageConfig, boolean privileged) throws IOException;
    }

    /** The plain tree: the target is the root filesystem. */
    public static final Layout TREE = new Layout() {
        @Override
        public Path rootfs(Path work) {
            return work;
        }

        @Override
        public void complete(Path work, byte[] imageConfig, boolean privileged) {
        }
    };

    /** An OCI runtime bundle: the tree in {@code rootfs}, beside the {@code config.json} derived from the image's. */
    public static final Layout BUNDLE = new Layout() {
        @Override
        public void check(byte[] imageConfig) throws IOException {
            RuntimeBundle.process(imageConfig);
        }

        @Override
        public Path rootfs(Path work) throws IOException {
            return Files.createDirectory(work.resolve("rootfs"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }

        @Override
        public void complete(Path work, byte[] imageConfig, boolean privileged) throws IOException {
            RuntimeBundle.write(work, RuntimeBundle.process(imageConfig), !privileged);
        }
    };

    /** What was unpacked: the image's manifest, config bytes, and one report per layer in order. */
    public record Result(Descriptor manifest, Descriptor config, byte[] configBytes, boolean privileged,
            List<LayerReport> layers) {
    }

    private Unpacking() {
    }

    /**
     * @param target a directory that does not exist or is empty
     * @throws FileAlreadyExistsException when the target exists and is not an empty directory
     */
    public static Result run(ImageSource source, String name, String reference, Platform platform, Path target,
            UnpackOptions options, Layout layout) throws IOException {
        refuseExisting(target);
        ImageSelection selection = ImageSelection.resolve(source, name, reference, platform, false);
        ImageManifest image = (ImageManifest) selection.images().getFirst();
        byte[] config = source.blobBytes(image.config(), Transfer.MAX_CONFIG_BYTES);
        List<Digest> diffIds = Transfer.diffIds(image, config);
        if (diffIds == null) {
            throw dev.ferry.manifest.ManifestException.unsupported(name, "its config is "
                    + image.config().mediaType() + ", not an image config: its layers are not a filesystem");
        }
        layout.check(config);
        Path absolute = target.toAbsolutePath().normalize();
        Path work = Files.createTempDirectory(absolute.getParent(), "." + absolute.getFileName() + ".ferry-");
        boolean moved = false;
        try {
            Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path rootfs = layout.rootfs(work);
            LayerApplier applier = new LayerApplier(rootfs, options);
            List<LayerReport> reports = new ArrayList<>();
            for (int i = 0; i < image.layers().size(); i++) {
                reports.add(LayerFeed.apply(source, image.layers().get(i), diffIds.get(i), applier));
            }
            applier.finish();
            layout.complete(work, config, applier.privileged());
            refuseExisting(target);
            // rename(2) replaces an empty directory, and nothing else: a target made meanwhile stays.
            Files.move(work, absolute, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
            Manifest root = selection.root();
            return new Result(root.descriptor(), image.config(), config, applier.privileged(), List.copyOf(reports));
        } finally {
            if (!moved) {
                remove(work);
            }
        }
    }

    /**
     * Writes an image's flattened filesystem to {@code out} as one tar, as {@code crane export}
     * does: unpacked into a work directory under {@code workParent} first, which is removed after.
     */
    public static Result export(ImageSource source, String name, String reference, Platform platform,
            UnpackOptions options, Path workParent, java.io.OutputStream out) throws IOException {
        Path work = java.nio.file.Files.createTempDirectory(workParent, ".ferry-export-");
        try {
            Path tree = work.resolve("rootfs");
            Result result = run(source, name, reference, platform, tree, options, TREE);
            dev.ferry.unpack.RootfsExporter.export(tree, out);
            return result;
        } finally {
            remove(work);
        }
    }

    private static void refuseExisting(Path target) throws IOException {
        if (Files.isSymbolicLink(target) || Files.exists(target) && !Files.isDirectory(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a directory");
        }
        if (Files.isDirectory(target)) {
            try (Stream<Path> children = Files.list(target)) {
                if (children.findAny().isPresent()) {
                    throw new FileAlreadyExistsException(target.toString(), null, "exists and is not empty");
                }
            }
        }
    }

    /**
     * A built tree may hold read-only and mode-000 directories: each is opened up before it is
     * listed (a process that is not root could not list or empty it otherwise), links never followed.
     */
    public static void remove(Path work) {
        openUp(work, 0);
        FileTrees.delete(work);
    }

    private static void openUp(Path dir, int depth) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            try (java.nio.file.DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                for (Path child : children) {
                    if (depth < MAX_DEPTH && Files.isDirectory(child, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        openUp(child, depth + 1);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // deleted below as far as it can be
        }
    }

    /** Deeper than the applier lets a tree grow. */
    private static final int MAX_DEPTH = 4096;
}
