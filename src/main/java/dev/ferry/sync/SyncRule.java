package dev.ferry.sync;

import dev.ferry.manifest.Platform;
import dev.ferry.reference.Repository;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One entry of the configuration, checked: a source repository, which of its tags, and where
 * they go.
 *
 * @param tags the tags or digests named in the configuration, or null: every tag the source lists,
 *     filtered by {@code allow} and {@code deny}
 * @param allow a listed tag is synced only when one of these matches it whole (none: every tag)
 * @param deny a listed tag matched whole by one of these is left out
 * @param platform the one platform to copy of a multi-platform image (its image alone), or null
 * @param platforms the platforms whose manifests are copied with the index, kept as it is (a sparse
 *     index); empty, with no {@code platform}: the whole index
 */
public record SyncRule(Repository source, List<String> tags, List<Pattern> allow, List<Pattern> deny, Target target,
        Platform platform, List<Platform> platforms) {

    public SyncRule {
        tags = tags == null ? null : List.copyOf(tags);
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
        if (platform != null && !platforms.isEmpty()) {
            throw new IllegalArgumentException("platform and platforms exclude each other");
        }
    }

    public SyncRule(Repository source, List<String> tags, List<Pattern> allow, List<Pattern> deny, Target target,
            Platform platform) {
        this(source, tags, allow, deny, target, platform, List.of());
    }

    /** Whether a tag the source lists is synced by this rule. */
    public boolean wants(String tag) {
        boolean allowed = allow.isEmpty() || allow.stream().anyMatch(p -> p.matcher(tag).matches());
        return allowed && deny.stream().noneMatch(p -> p.matcher(tag).matches());
    }
}
