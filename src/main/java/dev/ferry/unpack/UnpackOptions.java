package dev.ferry.unpack;

/**
 * How a root filesystem is built.
 *
 * @param rootless never chown or mknod: owners other than root are recorded in the
 *                 {@code user.rootlesscontainers} xattr (as umoci does) and device nodes are skipped.
 *                 A process that is not root always works this way.
 * @param limits   bounds on entries, names and bytes
 */
public record UnpackOptions(boolean rootless, UnpackLimits limits) {

    public UnpackOptions {
        if (limits == null) {
            throw new IllegalArgumentException("limits are required");
        }
    }

    public static UnpackOptions defaults() {
        return new UnpackOptions(false, UnpackLimits.defaults());
    }

    public static UnpackOptions rootlessDefaults() {
        return new UnpackOptions(true, UnpackLimits.defaults());
    }
}
