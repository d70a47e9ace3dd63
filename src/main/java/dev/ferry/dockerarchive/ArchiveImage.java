package dev.ferry.dockerarchive;

import dev.ferry.manifest.Descriptor;
import java.util.List;

/**
 * One image of a docker-archive as it stands in the layout made of it: its manifest (made from the
 * archive's manifest.json entry) and the names it was saved under, possibly none.
 */
public record ArchiveImage(Descriptor manifest, List<String> repoTags) {

    public ArchiveImage {
        repoTags = List.copyOf(repoTags);
    }
}
