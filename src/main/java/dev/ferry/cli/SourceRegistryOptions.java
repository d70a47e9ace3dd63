package dev.ferry.cli;

import dev.ferry.reference.Repository;
import dev.ferry.registry.RegistryAccess;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How copy reaches the source registry (skopeo's {@code --src-*} options). */
final class SourceRegistryOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--src-tls-verify", arity = "0..1", paramLabel = "true|false", defaultValue = "true", fallbackValue = "true",
            description = "Require HTTPS with a verified certificate from the source registry (default true). "
                    + "false also allows plain HTTP. Loopback registries may always use plain HTTP.")
    boolean tlsVerify;

    @Option(names = "--src-creds", paramLabel = "USER[:PASSWORD]",
            description = "Credentials for the source registry; without :PASSWORD, asked for on the terminal.")
    String creds;

    @Option(names = "--src-no-creds", description = "Access the source registry anonymously: no stored credentials are read.")
    boolean noCreds;

    @Option(names = "--src-registry-token", paramLabel = "TOKEN",
            description = "A bearer token for the source registry, sent as it is.")
    String registryToken;

    @Option(names = "--src-authfile", paramLabel = "PATH",
            description = "Read the source registry's credentials from this auth file only (default: --authfile).")
    Path authfile;

    @Option(names = "--src-cert-dir", paramLabel = "DIR",
            description = "Certificates for the source registry (*.crt CAs, NAME.cert + NAME.key client pair).")
    Path certDir;

    /** @param sharedAuthfile copy's {@code --authfile}, used when this side names none; may be null */
    RegistryAccess access(Repository repository, Path sharedAuthfile) {
        return RegistryOptions.access(RegistryOptions.root(command).env, repository, creds, noCreds, registryToken,
                tlsVerify, certDir, authfile != null ? authfile : sharedAuthfile, "--src-creds");
    }
}
