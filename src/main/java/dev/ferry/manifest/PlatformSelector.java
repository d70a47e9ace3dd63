package dev.ferry.manifest;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** Chooses one platform's manifest from an index. */
public final class PlatformSelector {

    private PlatformSelector() {
    }

    /**
     * The best entry of the index for the wanted platform: an exact variant match first, and when no
     * variant was asked for, the highest variant that runs there (arm v7 runs v6 and v5).
     */
    public static Descriptor select(String subject, ImageIndex index, Platform wanted) throws NoMatchingPlatformException {
        Platform want = wanted.normalized();
        List<Descriptor> candidates = index.manifests().stream()
                .filter(d -> d.platform() != null && MediaType.of(d.mediaType()).map(t -> !t.isIndex()).orElse(true))
                .filter(d -> sameOsAndArchitecture(want, d.platform().normalized()))
                .toList();
        for (Descriptor d : candidates) {
            if (want.matches(d.platform())) {
                return d;
            }
        }
        if (want.variant() != null && want.architecture().equals("arm")) {
            int wantedLevel = level(want.variant());
            return candidates.stream()
                    .filter(d -> level(d.platform().normalized().variant()) <= wantedLevel)
                    .max(Comparator.comparingInt(d -> level(d.platform().normalized().variant())))
                    .orElseThrow(() -> noMatch(subject, index, want));
        }
        throw noMatch(subject, index, want);
    }

    // Not via Platform.matches: that would normalize a variant-less arm to v7 and drop the v6 and v5 entries.
    private static boolean sameOsAndArchitecture(Platform want, Platform have) {
        return Objects.equals(want.os(), have.os()) && Objects.equals(want.architecture(), have.architecture());
    }

    private static int level(String variant) {
        return variant != null && variant.matches("v[0-9]+") ? Integer.parseInt(variant.substring(1)) : 0;
    }

    private static NoMatchingPlatformException noMatch(String subject, ImageIndex index, Platform want) {
        String available = index.manifests().stream()
                .filter(d -> d.platform() != null)
                .map(d -> d.platform().toString())
                .distinct()
                .collect(Collectors.joining(", "));
        return new NoMatchingPlatformException(subject, want, available.isEmpty() ? "none" : available);
    }
}
