package dev.ferry.cli;

import dev.ferry.reference.Repository;
import dev.ferry.registry.RegistryAccess;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/** How copy reaches the source registry (skopeo's {@code --src-*} options). */
final class SourceRegistryOptions {

    private final FerryCommand root;
    boolean tlsVerify;
    String creds;
    boolean noCreds;
    String registryToken;
    Path authfile;
    Path certDir;

    SourceRegistryOptions(FerryCommand root) {
        this.root = root;
    }

    void addTo(CommandSpec spec) {
        Specs.add(spec, Specs.flag(v -> tlsVerify = v, "--src-tls-verify").arity("0..1").paramLabel("true|false")
                .defaultValue("true").fallbackValue("true")
                .description("Require HTTPS with a verified certificate from the source registry (default true). "
                    + "false also allows plain HTTP. Loopback registries may always use plain HTTP."),
            Specs.text(v -> creds = v, "--src-creds").paramLabel("USER[:PASSWORD]")
                .description("Credentials for the source registry; without :PASSWORD, asked for on the terminal."),
            Specs.flag(v -> noCreds = v, "--src-no-creds")
                .description("Access the source registry anonymously: no stored credentials are read."),
            Specs.text(v -> registryToken = v, "--src-registry-token").paramLabel("TOKEN")
                .description("A bearer token for the source registry, sent as it is."),
            Specs.path(v -> authfile = v, "--src-authfile").paramLabel("PATH")
                .description("Read the source registry's credentials from this auth file only (default: --authfile)."),
            Specs.path(v -> certDir = v, "--src-cert-dir").paramLabel("DIR")
                .description("Certificates for the source registry (*.crt CAs, NAME.cert + NAME.key client pair)."));
    }

    /** @param sharedAuthfile copy's {@code --authfile}, used when this side names none; may be null */
    RegistryAccess access(Repository repository, Path sharedAuthfile) {
        return RegistryOptions.access(root.env, repository, creds, noCreds, registryToken,
                tlsVerify, certDir, authfile != null ? authfile : sharedAuthfile, "--src-creds");
    }
}
