package dev.ferry.reference;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A registry as named in references: {@code host[:port]}. Docker Hub is named {@code docker.io} but
 * served from {@code registry-1.docker.io}; the mapping lives here and nowhere else.
 */
public record Registry(String name) {

    public static final String DOCKER_HUB = "docker.io";
    static final String DOCKER_HUB_API = "registry-1.docker.io";

    public Registry {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("registry name is required");
        }
        name = switch (name) {
            // Legacy spellings of Docker Hub found in references and auth files.
            case "index.docker.io", "registry-1.docker.io" -> DOCKER_HUB;
            default -> name;
        };
    }

    public static Registry dockerHub() {
        return new Registry(DOCKER_HUB);
    }

    /** The {@code host[:port]} to send API requests to. */
    public String apiAuthority() {
        return name.equals(DOCKER_HUB) ? DOCKER_HUB_API : name;
    }

    /** The host part of {@link #apiAuthority()}, without brackets for IPv6. */
    public String apiHost() {
        String authority = apiAuthority();
        if (authority.startsWith("[")) {
            return authority.substring(1, authority.indexOf(']'));
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    /** The explicit port, or -1. */
    public int apiPort() {
        String authority = apiAuthority();
        int bracket = authority.lastIndexOf(']');
        int colon = authority.lastIndexOf(':');
        return colon > bracket ? Integer.parseInt(authority.substring(colon + 1)) : -1;
    }

    /**
     * Loopback registries may be reached over plain HTTP without being marked insecure, as Docker
     * allows. Decided by name and literal address only: no DNS lookup for other names.
     */
    public boolean isLoopback() {
        String host = apiHost().toLowerCase(Locale.ROOT);
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        if (host.matches("[0-9.]+") || host.contains(":")) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return name;
    }
}
