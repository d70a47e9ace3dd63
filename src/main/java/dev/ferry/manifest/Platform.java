package dev.ferry.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** An image platform as in an index entry or an image config. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Platform(
        String architecture,
        String os,
        String variant,
        @JsonProperty("os.version") String osVersion,
        @JsonProperty("os.features") List<String> osFeatures) {

    public Platform(String os, String architecture, String variant) {
        this(architecture, os, variant, null, null);
    }

    /** The platform of the machine ferry runs on; containers are Linux whatever the host OS says. */
    public static Platform host() {
        return new Platform("linux", System.getProperty("os.arch"), null).normalized();
    }

    /**
     * Normalizes the spellings seen in the wild (x86_64, aarch64, armhf...) and fills in the default
     * variants (arm64: v8, arm: v7), as containerd's platform matcher does.
     */
    public Platform normalized() {
        String normOs = os == null ? null : os.toLowerCase(Locale.ROOT);
        String arch = architecture == null ? null : architecture.toLowerCase(Locale.ROOT);
        String var = variant == null || variant.isEmpty() ? null : variant.toLowerCase(Locale.ROOT);
        if (arch != null) {
            switch (arch) {
                case "x86_64", "x86-64", "amd64" -> {
                    arch = "amd64";
                    if ("v1".equals(var)) {
                        var = null;
                    }
                }
                case "i386", "i686", "386" -> arch = "386";
                case "aarch64", "arm64" -> {
                    arch = "arm64";
                    if (var == null || var.equals("8")) {
                        var = "v8";
                    }
                }
                case "armhf", "armel", "arm" -> {
                    if (var == null) {
                        var = arch.equals("armel") ? "v6" : "v7";
                    } else if (var.matches("[5-8]")) {
                        var = "v" + var;
                    }
                    arch = "arm";
                }
                default -> {
                }
            }
        }
        return new Platform(arch, normOs, var, osVersion, osFeatures);
    }

    /** True when this (wanted) platform accepts the candidate, after normalizing both. */
    public boolean matches(Platform candidate) {
        Platform want = normalized();
        Platform have = candidate.normalized();
        return Objects.equals(want.os, have.os)
                && Objects.equals(want.architecture, have.architecture)
                && (want.variant == null || Objects.equals(want.variant, have.variant));
    }

    /** {@code os/arch[/variant]}, as users type it. */
    @Override
    public String toString() {
        return os + "/" + architecture + (variant != null && !variant.isEmpty() ? "/" + variant : "");
    }
}
