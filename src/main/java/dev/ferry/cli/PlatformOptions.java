package dev.ferry.cli;

import dev.ferry.manifest.Platform;
import picocli.CommandLine.Model.CommandSpec;

/** skopeo's {@code --override-*} options for choosing a platform from a multi-platform image. */
final class PlatformOptions {

    String os;
    String arch;
    String variant;

    void addTo(CommandSpec spec) {
        Specs.add(spec, Specs.text(v -> os = v, "--override-os").paramLabel("OS")
                .description("Use OS instead of linux when choosing an image."),
            Specs.text(v -> arch = v, "--override-arch").paramLabel("ARCH")
                .description("Use ARCH instead of this machine's architecture."),
            Specs.text(v -> variant = v, "--override-variant").paramLabel("VARIANT")
                .description("Use VARIANT (e.g. v7, v8) when choosing an image."));
    }

    Platform platform() {
        Platform host = Platform.host();
        return new Platform(os != null ? os : host.os(), arch != null ? arch : host.architecture(),
                variant != null ? variant : arch != null ? null : host.variant()).normalized();
    }
}
