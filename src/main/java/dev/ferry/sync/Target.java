package dev.ferry.sync;

import dev.ferry.reference.Repository;
import java.nio.file.Path;

/** Where a sync rule keeps images: a registry repository, or an OCI layout (the node-local agent). */
public sealed interface Target {

    /** @param tag the one tag to write for an image rule, or null: the source's tag */
    record RegistryRepo(Repository repository, String tag) implements Target {
    }

    /** @param prune remove the rule's names from index.json whose tag is no longer at the source */
    record Layout(Path dir, boolean prune) implements Target {
    }
}
