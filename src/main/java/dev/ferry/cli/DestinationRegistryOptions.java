package dev.ferry.cli;

import dev.ferry.registry.RegistryAccess;
import picocli.CommandLine.Option;

/** How copy reaches the destination registry (skopeo's {@code --dest-*} options). */
final class DestinationRegistryOptions {

    @Option(names = "--dest-tls-verify", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Require HTTPS with a verified certificate from the destination registry (default true). "
                    + "false also allows plain HTTP. Loopback registries may always use plain HTTP.")
    boolean tlsVerify;

    @Option(names = "--dest-creds", paramLabel = "USER:PASSWORD",
            description = "Credentials for the destination registry.")
    String creds;

    RegistryAccess access() {
        return RegistryOptions.access(creds, tlsVerify, "--dest-creds");
    }
}
