package dev.ferry.cli;

import dev.ferry.reference.Repository;
import dev.ferry.registry.RegistryAccess;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/** How copy reaches the destination registry (skopeo's {@code --dest-*} options). */
final class DestinationRegistryOptions {

    private final FerryCommand root;
    boolean tlsVerify;
    String creds;
    boolean noCreds;
    String registryToken;
    Path authfile;
    Path certDir;

    DestinationRegistryOptions(FerryCommand root) {
        this.root = root;
    }

    void addTo(CommandSpec spec) {
        Specs.add(spec, Specs.flag(v -> tlsVerify = v, "--dest-tls-verify").arity("0..1").paramLabel("true|false")
                .defaultValue("true").fallbackValue("true")
                .description("Require HTTPS with a verified certificate from the destination registry (default true). "
                    + "false also allows plain HTTP. Loopback registries may always use plain HTTP."),
            Specs.text(v -> creds = v, "--dest-creds").paramLabel("USER[:PASSWORD]")
                .description("Credentials for the destination registry; without :PASSWORD, asked for on the terminal."),
            Specs.flag(v -> noCreds = v, "--dest-no-creds")
                .description("Access the destination registry anonymously: no stored credentials are read."),
            Specs.text(v -> registryToken = v, "--dest-registry-token").paramLabel("TOKEN")
                .description("A bearer token for the destination registry, sent as it is."),
            Specs.path(v -> authfile = v, "--dest-authfile").paramLabel("PATH")
                .description("Read the destination registry's credentials from this auth file only (default: --authfile)."),
            Specs.path(v -> certDir = v, "--dest-cert-dir").paramLabel("DIR")
                .description("Certificates for the destination registry (*.crt CAs, NAME.cert + NAME.key client pair)."));
    }

    /** @param sharedAuthfile copy's {@code --authfile}, used when this side names none; may be null */
    RegistryAccess access(Repository repository, Path sharedAuthfile) {
        return RegistryOptions.access(root.env, repository, creds, noCreds, registryToken,
                tlsVerify, certDir, authfile != null ? authfile : sharedAuthfile, "--dest-creds");
    }
}
