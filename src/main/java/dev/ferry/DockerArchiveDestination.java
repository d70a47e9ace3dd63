package dev.ferry;

import dev.ferry.dockerarchive.DockerArchiveWriter;
import dev.ferry.dockerarchive.SavedImage;
import dev.ferry.files.AtomicFiles;
import dev.ferry.layout.LayoutException;
import dev.ferry.layout.OciLayout;
import dev.ferry.location.ImageLocation;
import dev.ferry.location.LocationFormatException;
import dev.ferry.manifest.ImageManifest;
import dev.ferry.manifest.Manifest;
import dev.ferry.reference.ImageReference;
import dev.ferry.transfer.LayoutDestination;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A docker-archive as a destination: blobs enter a layout in a work directory through its verifying
 * door, and the commit writes the archive from it, through a temporary file renamed over the
 * archive, or to standard output for {@code -}. Several images (ferry save) share one.
 */
final class DockerArchiveDestination extends LayoutDestination {

    private final OciLayout layout;
    private final Path file;
    private final List<String> repoTags;
    private final List<SavedImage> saved;
    private final boolean writeOnCommit;
    private final PrintStream stdout;
    private final Path scratch;

    private DockerArchiveDestination(OciLayout layout, Path file, List<String> repoTags, List<SavedImage> saved,
            boolean writeOnCommit, String name, PrintStream stdout, Path scratch) {
        super(layout, null, null, name);
        this.layout = layout;
        this.file = file;
        this.repoTags = repoTags;
        this.saved = saved;
        this.writeOnCommit = writeOnCommit;
        this.stdout = stdout;
        this.scratch = scratch;
    }

    /** The destination of a copy: one image, named by the location or else by the source's tag. */
    static DockerArchiveDestination create(ImageLocation.DockerArchive archive, ImageLocation from, Path workDir,
            PrintStream stdout) throws IOException {
        if (archive.index() >= 0) {
            throw new LocationFormatException(archive.displayName() + ": @INDEX picks an image to read; "
                    + "a destination takes docker-archive:FILE[:NAME:TAG]");
        }
        return new DockerArchiveDestination(OciLayout.open(workDir), archive.file(), repoTags(archive.name(), from),
                new ArrayList<>(), true, archive.displayName(), stdout,
                archive.uncompressedLayers() ? scratch(workDir) : null);
    }

    /** One image of {@code ferry save}: collected into {@code saved}, written once by {@link #write}. */
    static DockerArchiveDestination forSave(OciLayout layout, List<String> repoTags, List<SavedImage> saved,
            String name) {
        return new DockerArchiveDestination(layout, null, repoTags, saved, false, name, null, null);
    }

    /** The name an image is saved under: the one given, else the source's tag; none for a digest. */
    static List<String> repoTags(String name, ImageLocation from) {
        if (name != null) {
            return List.of(name);
        }
        if (from instanceof ImageLocation.Docker docker && docker.ref().tag() != null) {
            ImageReference ref = docker.ref();
            return List.of(ref.repository().name() + ":" + ref.tag());
        }
        return List.of();
    }

    @Override
    public void commit(Manifest root) throws IOException {
        if (!(root instanceof ImageManifest image)) {
            throw new LayoutException(name() + ": a docker-archive holds single-platform images, not an index "
                    + "(leave out --all, or pick a platform with --override-os/--override-arch)");
        }
        layout.putBlob(root.descriptor(), root.raw());
        saved.add(new SavedImage(image, repoTags));
        if (writeOnCommit) {
            write(layout, saved, file, stdout, scratch);
        }
    }

    /** Writes the archive: to {@code file} through a temporary file, or to {@code stdout} for {@code -}. */
    static void write(OciLayout layout, List<SavedImage> images, Path file, PrintStream stdout, Path scratch)
            throws IOException {
        if (file.toString().equals("-")) {
            OutputStream out = stdout;
            DockerArchiveWriter.write(layout, images, out, scratch);
            out.flush();
        } else {
            AtomicFiles.write(file.toAbsolutePath(), out -> DockerArchiveWriter.write(layout, images, out, scratch));
        }
    }

    /** A directory in the work directory to inflate layers in; it goes with the work directory. */
    static Path scratch(Path workDir) throws IOException {
        return java.nio.file.Files.createDirectories(workDir.resolve("inflating"));
    }
}
