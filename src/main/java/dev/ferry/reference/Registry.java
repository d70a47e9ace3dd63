package dev.ferry.reference;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
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

    /** Resolves a host name to its addresses; the JDK's resolver, or an HTTP client's. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> lookup(String host) throws UnknownHostException;

        Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
    }

    /** {@link #isLoopback(Resolver)} with the JDK's resolver. */
    public boolean isLoopback() {
        return isLoopback(Resolver.SYSTEM);
    }

    /**
     * Loopback registries may be reached over plain HTTP without being marked insecure, as Docker
     * allows. Loopback is an address, not a name: see {@link #isLoopbackHost}.
     */
    public boolean isLoopback(Resolver resolver) {
        return isLoopbackHost(apiHost(), resolver);
    }

    /**
     * True when every address {@code host} stands for is a loopback address (127.0.0.0/8, ::1). A
     * literal address is checked as it is; a name (even {@code localhost} or {@code *.localhost},
     * which a hosts file or DNS may send anywhere) is resolved, and a name that does not resolve is
     * not loopback.
     */
    public static boolean isLoopbackHost(String host, Resolver resolver) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            if (bare.contains(":") || bare.matches("[0-9.]+")) {
                return InetAddress.ofLiteral(bare).isLoopbackAddress();
            }
            List<InetAddress> addresses = resolver.lookup(bare.toLowerCase(Locale.ROOT));
            return addresses != null && !addresses.isEmpty()
                    && addresses.stream().allMatch(a -> a != null && a.isLoopbackAddress());
        } catch (UnknownHostException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return name;
    }

    // Written out: a record's generated equals and hashCode are bound on first call through
    // invokedynamic and method handles, which the AOT cache does not keep; a registry is compared on
    // every command's start-up path.
    @Override
    public boolean equals(Object o) {
        return o instanceof Registry r && java.util.Objects.equals(name, r.name);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(name);
    }
}
