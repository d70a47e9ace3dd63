package dev.ferry.cli;

import dev.ferry.reference.Repository;
import dev.ferry.registry.RegistryAccess;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How copy reaches the destination registry (skopeo's {@code --dest-*} options). */
final class DestinationRegistryOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--dest-tls-verify", arity = "0..1", paramLabel = "true|false", defaultValue = "true", fallbackValue = "true",
            description = "Require HTTPS with a verified certificate from the destination registry (default true). "
                    + "false also allows plain HTTP. Loopback registries may always use plain HTTP.")
    boolean tlsVerify;

    @Option(names = "--dest-creds", paramLabel = "USER[:PASSWORD]",
            description = "Credentials for the destination registry; without :PASSWORD, asked for on the terminal.")
    String creds;

    @Option(names = "--dest-no-creds", description = "Access the destination registry anonymously: no stored credentials are read.")
    boolean noCreds;

    @Option(names = "--dest-registry-token", paramLabel = "TOKEN",
            description = "A bearer token for the destination registry, sent as it is.")
    String registryToken;

    @Option(names = "--dest-authfile", paramLabel = "PATH",
            description = "Read the destination registry's credentials from this auth file only (default: --authfile).")
    Path authfile;

    @Option(names = "--dest-cert-dir", paramLabel = "DIR",
            description = "Certificates for the destination registry (*.crt CAs, NAME.cert + NAME.key client pair).")
    Path certDir;

    /** @param sharedAuthfile copy's {@code --authfile}, used when this side names none; may be null */
    RegistryAccess access(Repository repository, Path sharedAuthfile) {
        return RegistryOptions.access(RegistryOptions.root(command).env, repository, creds, noCreds, registryToken,
                tlsVerify, certDir, authfile != null ? authfile : sharedAuthfile, "--dest-creds");
    }
}
