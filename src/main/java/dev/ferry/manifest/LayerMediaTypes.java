package dev.ferry.manifest;

import java.util.Set;

/** Layer media types and what they say about compression and distribution. */
public final class LayerMediaTypes {

    public static final String OCI_TAR = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String DOCKER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_FOREIGN = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    public static final String OCI_NONDIST_TAR = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    public static final String OCI_NONDIST_GZIP = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public static final String OCI_NONDIST_ZSTD = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";

    private static final Set<String> FOREIGN = Set.of(DOCKER_FOREIGN, OCI_NONDIST_TAR, OCI_NONDIST_GZIP, OCI_NONDIST_ZSTD);

    private LayerMediaTypes() {
    }

    /** Foreign (Docker) and non-distributable (OCI) layers are not pushed or pulled by default. */
    public static boolean isForeign(String mediaType) {
        return mediaType != null && FOREIGN.contains(mediaType);
    }
}
