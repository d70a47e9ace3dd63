package dev.ferry.sync;

import dev.ferry.manifest.Platform;
import java.util.List;

/**
 * The platform filter of a rule. The engine copies one platform or the whole index, so a list of
 * more than one platform is refused instead of copying something else than asked.
 */
final class Platforms {

    private Platforms() {
    }

    /** The one platform named by {@code platform} or a one-element {@code platforms}, or null for all. */
    static Platform one(String platform, List<String> platforms) {
        if (platform != null && platforms != null) {
            throw new IllegalArgumentException("write platform or platforms, not both");
        }
        if (platforms != null && platforms.size() > 1) {
            throw new IllegalArgumentException("platforms: ferry sync copies one platform or the whole index; "
                    + "list one platform, or leave it out to copy every platform");
        }
        String text = platform != null ? platform : platforms == null || platforms.isEmpty() ? null : platforms.get(0);
        return text == null ? null : parse(text);
    }

    /** {@code os/arch[/variant]}, as regsync and docker write it. */
    static Platform parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || List.of(parts).stream().anyMatch(p -> !p.matches("[a-z0-9._-]{1,32}"))) {
            throw new IllegalArgumentException("'" + Printable.of(text) + "' is not a platform (write os/arch[/variant])");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null).normalized();
    }
}
