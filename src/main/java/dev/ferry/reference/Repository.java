package dev.ferry.reference;

/** A repository in a registry, e.g. {@code docker.io} + {@code library/alpine}. */
public record Repository(Registry registry, String path) {

    /** The name skopeo prints: {@code host[:port]/path}. */
    public String name() {
        return registry.name() + "/" + path;
    }

    /** A token scope for this repository, e.g. {@code repository:library/alpine:pull}. */
    public String scope(String actions) {
        return "repository:" + path + ":" + actions;
    }

    @Override
    public String toString() {
        return name();
    }
}
