package dev.ferry.manifest;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** Chooses one platform's manifest from an index. */
public final class PlatformSelector {

    /** How many platforms a message lists at most. */
    static final int MAX_LISTED = 16;

    private PlatformSelector() {
    }

    /**
     * The best entry of the index for the wanted platform: an exact variant match first, and when no
     * variant was asked for, the highest variant that runs there (arm v7 runs v6 and v5).
     */
    public static Descriptor select(String subject, ImageIndex index, Platform wanted)
            throws NoMatchingPlatformException, ManifestException {
        Platform want = wanted.normalized();
        List<Descriptor> candidates = index.manifests().stream()
                .filter(d -> d.platform() != null && !isIndex(d))
                .filter(d -> sameOsAndArchitecture(want, d.platform().normalized()))
                .toList();
        for (Descriptor d : candidates) {
            if (want.matches(d.platform())) {
                return d;
            }
        }
        if (want.variant() != null && want.architecture().equals("arm")) {
            int wantedLevel = level(want.variant());
            Descriptor runs = candidates.stream()
                    .filter(d -> level(d.platform().normalized().variant()) <= wantedLevel)
                    .max(Comparator.comparingInt(d -> level(d.platform().normalized().variant())))
                    .orElse(null);
            if (runs != null) {
                return runs;
            }
        }
        refuseNested(subject, index, want);
        throw noMatch(subject, index, want);
    }

    private static boolean isIndex(Descriptor d) {
        return MediaType.of(d.mediaType()).map(MediaType::isIndex).orElse(false);
    }

    /**
     * An entry for the platform that is itself an index (an index of indexes) is neither followed
     * nor listed as available: following it would let one index fan out into any number of
     * requests, and listing it would say the platform is there when it was just refused.
     */
    private static void refuseNested(String subject, ImageIndex index, Platform want) throws ManifestException {
        for (Descriptor d : index.manifests()) {
            if (d.platform() != null && isIndex(d) && sameOsAndArchitecture(want, d.platform().normalized())) {
                throw nested(subject, want, d);
            }
        }
    }

    /** The refusal of an entry for the platform that turned out to be a nested index. */
    public static ManifestException nested(String subject, Platform want, Descriptor entry) {
        return ManifestException.unsupported(subject, "the index's entry for " + want + " (" + entry.digest()
                + ") is itself an index, a nested index, which ferry does not follow (copy or inspect it by that digest)");
    }

    // Not via Platform.matches: that would normalize a variant-less arm to v7 and drop the v6 and v5 entries.
    private static boolean sameOsAndArchitecture(Platform want, Platform have) {
        return Objects.equals(want.os(), have.os()) && Objects.equals(want.architecture(), have.architecture());
    }

    private static int level(String variant) {
        return variant != null && variant.matches("v[0-9]+") ? Integer.parseInt(variant.substring(1)) : 0;
    }

    private static NoMatchingPlatformException noMatch(String subject, ImageIndex index, Platform want) {
        List<String> platforms = index.manifests().stream()
                .filter(d -> d.platform() != null && !isIndex(d))
                .map(d -> d.platform().toString())
                .distinct()
                .toList();
        // A crafted index can name a thousand made-up platforms: the line names the first few.
        String available = platforms.stream().limit(MAX_LISTED).collect(Collectors.joining(", "))
                + (platforms.size() > MAX_LISTED ? " and " + (platforms.size() - MAX_LISTED) + " more" : "");
        return new NoMatchingPlatformException(subject, want, available.isEmpty() ? "none" : available);
    }
}
