package dev.ferry.manifest;

import java.util.Locale;
import java.util.Optional;

/** The four manifest kinds ferry reads, by their media types. */
public enum MediaType {
    OCI_INDEX("application/vnd.oci.image.index.v1+json", true),
    DOCKER_MANIFEST_LIST("application/vnd.docker.distribution.manifest.list.v2+json", true),
    OCI_MANIFEST("application/vnd.oci.image.manifest.v1+json", false),
    DOCKER_MANIFEST("application/vnd.docker.distribution.manifest.v2+json", false);

    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";

    /** Every manifest type ferry accepts, in the order of preference sent in Accept headers. */
    public static final String ACCEPT = String.join(", ",
            OCI_INDEX.value, OCI_MANIFEST.value, DOCKER_MANIFEST_LIST.value, DOCKER_MANIFEST.value);

    private final String value;
    private final boolean index;

    MediaType(String value, boolean index) {
        this.value = value;
        this.index = index;
    }

    public String value() {
        return value;
    }

    public boolean isIndex() {
        return index;
    }

    /** Looks up a media type, ignoring parameters such as {@code ; charset=utf-8}. */
    public static Optional<MediaType> of(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String bare = bare(contentType);
        for (MediaType type : values()) {
            if (type.value.equals(bare)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    static String bare(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return value;
    }
}
