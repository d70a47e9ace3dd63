package dev.ferry.sync;

import dev.ferry.manifest.Platform;
import java.util.List;

/**
 * The platform filter of a rule, as regsync reads it. {@code platform} copies that platform's image
 * alone (the target holds an image manifest, not the index); {@code platforms} copies the index as
 * it is, its digest kept, with only the listed platforms' manifests: a sparse index, as regclient's
 * image copy with platforms makes it.
 */
final class Platforms {

    /** More than any index lists; a longer list is a mistake, not a filter. */
    static final int MAX = 64;

    private Platforms() {
    }

    /** The one platform {@code platform} names, or null. */
    static Platform one(String platform, List<String> platforms) {
        both(platform, platforms);
        return platform == null ? null : parse(platform);
    }

    /** The platforms {@code platforms} lists, or none: every platform. */
    static List<Platform> list(String platform, List<String> platforms) {
        both(platform, platforms);
        if (platforms == null) {
            return List.of();
        }
        if (platforms.size() > MAX) {
            throw new IllegalArgumentException("platforms lists more than " + MAX + " platforms");
        }
        return platforms.stream().map(Platforms::parse).distinct().toList();
    }

    private static void both(String platform, List<String> platforms) {
        if (platform != null && platforms != null) {
            throw new IllegalArgumentException("write platform (that platform's image alone) or platforms "
                    + "(the index with only those platforms), not both");
        }
    }

    /** {@code os/arch[/variant]}, as regsync and docker write it. */
    static Platform parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || List.of(parts).stream().anyMatch(p -> !p.matches("[a-z0-9._-]{1,32}"))) {
            throw new IllegalArgumentException("'" + Printable.of(text) + "' is not a platform (write os/arch[/variant])");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null).normalized();
    }
}
