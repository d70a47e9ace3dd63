package dev.ferry.dockerarchive;

import dev.ferry.manifest.ImageManifest;
import java.util.List;

/** An image to write into a docker-archive, with the names (NAME:TAG) it is saved under, possibly none. */
public record SavedImage(ImageManifest manifest, List<String> repoTags) {

    public SavedImage {
        repoTags = List.copyOf(repoTags);
    }
}
