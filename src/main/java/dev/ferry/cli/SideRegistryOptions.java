package dev.ferry.cli;

import dev.ferry.reference.Repository;
import dev.ferry.registry.RegistryAccess;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How copy reaches one side's registry: skopeo's {@code --src-*} options for the source and
 * {@code --dest-*} for the destination, the same set for both.
 */
final class SideRegistryOptions {

    private final FerryCommand root;
    /** The options' prefix: {@code src} or {@code dest}. */
    private final String prefix;
    /** The side as help texts name it: {@code source} or {@code destination}. */
    private final String side;
    boolean tlsVerify;
    String creds;
    boolean noCreds;
    String registryToken;
    Path authfile;
    Path certDir;

    private SideRegistryOptions(FerryCommand root, String prefix, String side) {
        this.root = root;
        this.prefix = prefix;
        this.side = side;
    }

    static SideRegistryOptions source(FerryCommand root) {
        return new SideRegistryOptions(root, "src", "source");
    }

    static SideRegistryOptions destination(FerryCommand root) {
        return new SideRegistryOptions(root, "dest", "destination");
    }

    void addTo(CommandSpec spec) {
        String registry = "the " + side + " registry";
        Specs.add(spec, Specs.flag(v -> tlsVerify = v, option("tls-verify")).arity("0..1").paramLabel("true|false")
                .defaultValue("true").fallbackValue("true")
                .description("Require HTTPS with a verified certificate from " + registry + " (default true). "
                    + "false also allows plain HTTP. Loopback registries may always use plain HTTP."),
            Specs.text(v -> creds = v, option("creds")).paramLabel("USER[:PASSWORD]")
                .description("Credentials for " + registry + "; without :PASSWORD, asked for on the terminal."),
            Specs.flag(v -> noCreds = v, option("no-creds"))
                .description("Access " + registry + " anonymously: no stored credentials are read."),
            Specs.text(v -> registryToken = v, option("registry-token")).paramLabel("TOKEN")
                .description("A bearer token for " + registry + ", sent as it is."),
            Specs.path(v -> authfile = v, option("authfile")).paramLabel("PATH")
                .description("Read " + registry + "'s credentials from this auth file only (default: --authfile)."),
            Specs.path(v -> certDir = v, option("cert-dir")).paramLabel("DIR")
                .description("Certificates for " + registry + " (*.crt CAs, NAME.cert + NAME.key client pair)."));
    }

    private String option(String name) {
        return "--" + prefix + "-" + name;
    }

    /** @param sharedAuthfile copy's {@code --authfile}, used when this side names none; may be null */
    RegistryAccess access(Repository repository, Path sharedAuthfile) {
        return RegistryOptions.access(root.env, repository, creds, noCreds, registryToken,
                tlsVerify, certDir, authfile != null ? authfile : sharedAuthfile, option("creds"));
    }
}
