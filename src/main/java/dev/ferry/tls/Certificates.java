package dev.ferry.tls;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a registry's TLS certificates come from, as a value: a directory the user names
 * ({@code --cert-dir}) for every registry, else the registry's own directory under the per-host
 * roots docker and podman read ({@code /etc/containers/certs.d/HOST:PORT/}, then
 * {@code /etc/docker/certs.d/HOST:PORT/}). With neither, the system's trust store alone.
 *
 * @param certDir the named directory, or null
 * @param perHostRoots the roots holding one directory per {@code host[:port]}, in order
 */
public record Certificates(Path certDir, List<Path> perHostRoots) {

    /** Replaces the per-host roots (a list like PATH): for tests, and for machines that keep them elsewhere. */
    public static final String ROOTS_VARIABLE = "FERRY_CERTS_D";
    static final List<Path> DEFAULT_ROOTS = List.of(Path.of("/etc/containers/certs.d"), Path.of("/etc/docker/certs.d"));

    public Certificates {
        perHostRoots = List.copyOf(perHostRoots);
    }

    /** The system's trust store, nothing else. */
    public static Certificates system() {
        return new Certificates(null, List.of());
    }

    /**
     * @param certDir the {@code --cert-dir} option, or null
     * @param env the environment, for {@value #ROOTS_VARIABLE}
     */
    public static Certificates standard(Path certDir, Map<String, String> env) {
        String roots = env.get(ROOTS_VARIABLE);
        if (roots == null) {
            return new Certificates(certDir, DEFAULT_ROOTS);
        }
        List<Path> paths = new ArrayList<>();
        for (String root : roots.split(File.pathSeparator)) {
            if (!root.isEmpty()) {
                paths.add(Path.of(root));
            }
        }
        return new Certificates(certDir, paths);
    }

    /**
     * The directory whose files apply to the registry: the named one, else the first per-host
     * directory that exists, else null.
     *
     * @param registry {@code host[:port]} as written in references
     */
    public Path directoryFor(String registry) {
        if (certDir != null) {
            return certDir;
        }
        for (Path root : perHostRoots) {
            Path dir = root.resolve(registry);
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        return null;
    }

    // Written out: a record's generated equals and hashCode are bound on first call through
    // invokedynamic and method handles, which the AOT cache does not keep; a certificate set is compared on
    // every command's start-up path.
    @Override
    public boolean equals(Object o) {
        return o instanceof Certificates c && java.util.Objects.equals(certDir, c.certDir)
                && java.util.Objects.equals(perHostRoots, c.perHostRoots);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hashCode(certDir) + java.util.Objects.hashCode(perHostRoots);
    }
}
