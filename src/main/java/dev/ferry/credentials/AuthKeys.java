package dev.ferry.credentials;

import dev.ferry.reference.Registry;
import dev.ferry.reference.Repository;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How auth files name registries and repositories. Docker writes {@code https://index.docker.io/v1/}
 * for Docker Hub and sometimes {@code https://host/v1/} for others, podman writes {@code host:port}
 * or a repository ({@code host/namespace}); every spelling of one registry must read the same.
 */
public final class AuthKeys {

    /** Docker Hub's key and credential-helper server URL, as docker writes and helpers expect it. */
    public static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

    private AuthKeys() {
    }

    /**
     * One spelling per registry or repository: a scheme dropped and, with it, any path (a URL names
     * a registry, as containers/image reads it), trailing slashes dropped, the host in lower case and
     * Docker Hub's hosts as {@code docker.io}.
     *
     * @throws IllegalArgumentException when no host is left
     */
    public static String normalize(String key) {
        String k = key.strip();
        String lower = k.toLowerCase(Locale.ROOT);
        boolean url = lower.startsWith("https://") || lower.startsWith("http://");
        if (url) {
            k = k.substring(k.indexOf("://") + 3);
            int slash = k.indexOf('/');
            k = slash < 0 ? k : k.substring(0, slash);
        }
        while (k.endsWith("/")) {
            k = k.substring(0, k.length() - 1);
        }
        int slash = k.indexOf('/');
        String host = (slash < 0 ? k : k.substring(0, slash)).toLowerCase(Locale.ROOT);
        String path = slash < 0 ? "" : k.substring(slash + 1);
        if (host.isEmpty() || host.contains("@") || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("'" + key + "' names no registry");
        }
        String registry = new Registry(host).name();
        return path.isEmpty() ? registry : registry + "/" + path;
    }

    /** {@link #normalize}, or null for a key that names no registry (a file may hold junk keys). */
    static String normalizeOrNull(String key) {
        try {
            return normalize(key);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The keys that apply to a repository, most specific first: {@code host/a/b}, {@code host/a},
     * {@code host}. A per-repository entry thus wins over the registry's.
     */
    public static List<String> candidates(Repository repository) {
        String registry = normalize(repository.registry().name());
        List<String> keys = new ArrayList<>();
        String path = repository.path();
        while (!path.isEmpty()) {
            keys.add(registry + "/" + path);
            int slash = path.lastIndexOf('/');
            path = slash < 0 ? "" : path.substring(0, slash);
        }
        keys.add(registry);
        return keys;
    }

    /** The key for a registry alone. */
    public static List<String> candidates(Registry registry) {
        return List.of(normalize(registry.name()));
    }

    /**
     * What a credential helper gets on standard input: Docker Hub's legacy URL (helpers store Hub
     * credentials under it), else {@code host[:port]}.
     */
    static String helperServerUrl(String normalizedKey) {
        int slash = normalizedKey.indexOf('/');
        String registry = slash < 0 ? normalizedKey : normalizedKey.substring(0, slash);
        return registry.equals(Registry.DOCKER_HUB) ? DOCKER_HUB_KEY : registry;
    }

    /** The key login writes: Docker Hub as docker writes it (podman and skopeo read that too). */
    public static String storedForm(String normalizedKey) {
        return normalizedKey.equals(Registry.DOCKER_HUB) ? DOCKER_HUB_KEY : normalizedKey;
    }
}
