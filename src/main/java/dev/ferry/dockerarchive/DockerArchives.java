package dev.ferry.dockerarchive;

import dev.ferry.layout.LayoutException;
import dev.ferry.transfer.LayoutImageNotFoundException;
import dev.ferry.reference.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A docker-archive opened for reading: the layout made of it in a work directory, and its images. */
public record DockerArchives(Path layoutDir, List<ArchiveImage> images, String name) {

    public DockerArchives {
        images = List.copyOf(images);
    }

    /**
     * Reads {@code file} ({@code -} for standard input) into a layout in {@code workDir}.
     *
     * @param name the archive as messages name it
     */
    public static DockerArchives open(Path file, Path workDir, String name, InputStream stdin, PrintStream warnings)
            throws IOException {
        List<ArchiveImage> images;
        if (file.toString().equals("-")) {
            images = DockerArchiveReader.toLayout(stdin, name, workDir, warnings);
        } else {
            if (!Files.isRegularFile(file)) {
                throw new LayoutException(file + " does not exist or is not a file");
            }
            try (InputStream in = Files.newInputStream(file)) {
                images = DockerArchiveReader.toLayout(in, name, workDir, warnings);
            }
        }
        return new DockerArchives(workDir.resolve("layout"), images, name);
    }

    /**
     * The image a location picks: by NAME:TAG among the RepoTags, by index in manifest.json, or the
     * archive's only image.
     */
    public ArchiveImage select(String repoTag, int index) throws IOException {
        if (repoTag != null) {
            String wanted = ImageReference.parse(repoTag).toString();
            for (ArchiveImage image : images) {
                for (String tag : image.repoTags()) {
                    if (tag.equals(repoTag) || ImageReference.parse(tag).toString().equals(wanted)) {
                        return image;
                    }
                }
            }
            throw new LayoutImageNotFoundException("no image named '" + repoTag + "' in " + name);
        }
        if (index >= 0) {
            if (index >= images.size()) {
                throw new LayoutImageNotFoundException(name + " holds " + images.size() + " images: @" + index
                        + " names none (the first is @0)");
            }
            return images.get(index);
        }
        if (images.size() != 1) {
            throw new LayoutImageNotFoundException(name + " holds " + images.size()
                    + " images: name one as docker-archive:FILE:NAME:TAG or :@INDEX (ferry load copies them all)");
        }
        return images.getFirst();
    }
}
