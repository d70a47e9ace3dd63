package dev.ferry.cli;

import dev.ferry.manifest.Platform;
import picocli.CommandLine.Option;

/** skopeo's {@code --override-*} options for choosing a platform from a multi-platform image. */
final class PlatformOptions {

    @Option(names = "--override-os", paramLabel = "OS", description = "Use OS instead of linux when choosing an image.")
    String os;

    @Option(names = "--override-arch", paramLabel = "ARCH", description = "Use ARCH instead of this machine's architecture.")
    String arch;

    @Option(names = "--override-variant", paramLabel = "VARIANT", description = "Use VARIANT (e.g. v7, v8) when choosing an image.")
    String variant;

    Platform platform() {
        Platform host = Platform.host();
        return new Platform(os != null ? os : host.os(), arch != null ? arch : host.architecture(),
                variant != null ? variant : arch != null ? null : host.variant()).normalized();
    }
}
