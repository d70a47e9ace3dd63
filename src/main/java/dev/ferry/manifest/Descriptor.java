package dev.ferry.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ferry.digest.Digest;
import java.util.List;
import java.util.Map;

/** A content descriptor: what a manifest says about a blob or another manifest. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Descriptor(
        String mediaType,
        Digest digest,
        long size,
        List<String> urls,
        Map<String, String> annotations,
        Platform platform,
        String artifactType) {

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, null, null, null, null);
    }

    /**
     * The sizes added up, saturating at {@link Long#MAX_VALUE}: a manifest may promise sizes whose
     * sum does not fit in a long, and a total must never turn negative.
     */
    public static long totalSize(List<Descriptor> descriptors) {
        long total = 0;
        for (Descriptor d : descriptors) {
            total = addSaturating(total, d.size());
        }
        return total;
    }

    /** Two non-negative sizes added, {@link Long#MAX_VALUE} when the sum would overflow. */
    public static long addSaturating(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    public Descriptor withAnnotations(Map<String, String> newAnnotations) {
        return new Descriptor(mediaType, digest, size, urls, newAnnotations, platform, artifactType);
    }
}
