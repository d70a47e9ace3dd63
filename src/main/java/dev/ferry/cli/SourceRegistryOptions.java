package dev.ferry.cli;

import dev.ferry.registry.RegistryAccess;
import picocli.CommandLine.Option;

/** How copy reaches the source registry (skopeo's {@code --src-*} options). */
final class SourceRegistryOptions {

    @Option(names = "--src-tls-verify", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Require HTTPS with a verified certificate from the source registry (default true). "
                    + "false also allows plain HTTP. Loopback registries may always use plain HTTP.")
    boolean tlsVerify;

    @Option(names = "--src-creds", paramLabel = "USER:PASSWORD", description = "Credentials for the source registry.")
    String creds;

    RegistryAccess access() {
        return RegistryOptions.access(creds, tlsVerify, "--src-creds");
    }
}
