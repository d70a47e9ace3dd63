package dev.ferry.credentials;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where auth files are, as skopeo and podman look for them: a file the user names ({@code --authfile},
 * else {@code $REGISTRY_AUTH_FILE}) alone; otherwise containers' runtime file, containers' config
 * file, then docker's {@code config.json}. Decided from paths alone, without reading anything.
 */
public final class AuthFileLocations {

    private AuthFileLocations() {
    }

    /**
     * The files to read, in order.
     *
     * @param authfile the {@code --authfile} option, or null
     * @param env the environment ({@code System.getenv()})
     */
    public static List<Path> search(Path authfile, Map<String, String> env) {
        Path named = named(authfile, env);
        if (named != null) {
            return List.of(named);
        }
        List<Path> files = new ArrayList<>();
        Path runtime = runtimeFile(env);
        if (runtime != null) {
            files.add(runtime);
        }
        String configHome = env.get("XDG_CONFIG_HOME");
        Path config = configHome != null && !configHome.isEmpty() ? Path.of(configHome) : home(env).resolve(".config");
        files.add(config.resolve("containers/auth.json"));
        files.add(dockerConfig(env));
        return List.copyOf(files);
    }

    /**
     * The file {@code ferry login} writes and {@code ferry logout} changes: the named one, else the
     * runtime file podman and skopeo write ({@code ${XDG_RUNTIME_DIR}/containers/auth.json}), read
     * first by every lookup.
     */
    public static Path loginFile(Path authfile, Map<String, String> env) throws CredentialsException {
        Path named = named(authfile, env);
        if (named != null) {
            return named;
        }
        Path runtime = runtimeFile(env);
        if (runtime == null) {
            throw new CredentialsException("no file to store credentials in: XDG_RUNTIME_DIR is not set; "
                    + "name one with --authfile or REGISTRY_AUTH_FILE");
        }
        return runtime;
    }

    private static Path named(Path authfile, Map<String, String> env) {
        if (authfile != null) {
            return authfile;
        }
        String fromEnv = env.get("REGISTRY_AUTH_FILE");
        return fromEnv != null && !fromEnv.isEmpty() ? Path.of(fromEnv) : null;
    }

    /**
     * {@code ${XDG_RUNTIME_DIR}/containers/auth.json}; without XDG_RUNTIME_DIR, containers/image
     * uses {@code /run/containers/UID/auth.json}.
     */
    private static Path runtimeFile(Map<String, String> env) {
        String runtimeDir = env.get("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isEmpty()) {
            return Path.of(runtimeDir, "containers", "auth.json");
        }
        Integer uid = uid();
        return uid == null ? null : Path.of("/run/containers", uid.toString(), "auth.json");
    }

    /** {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
    static Path dockerConfig(Map<String, String> env) {
        String dockerConfig = env.get("DOCKER_CONFIG");
        return dockerConfig != null && !dockerConfig.isEmpty() ? Path.of(dockerConfig, "config.json")
                : home(env).resolve(".docker/config.json");
    }

    static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"));
    }

    /** The directories of {@code PATH}, where credential helpers are looked for. */
    public static List<Path> helperPath(Map<String, String> env) {
        String path = env.get("PATH");
        if (path == null) {
            return List.of();
        }
        List<Path> dirs = new ArrayList<>();
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                dirs.add(Path.of(dir));
            }
        }
        return List.copyOf(dirs);
    }

    /** The user's id: the owner of the process's own /proc entry (Linux), or null. */
    private static Integer uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }
}
