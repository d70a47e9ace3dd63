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

    public Descriptor withAnnotations(Map<String, String> newAnnotations) {
        return new Descriptor(mediaType, digest, size, urls, newAnnotations, platform, artifactType);
    }
}
