package dev.ferry.cli;

import dev.ferry.auth.Credentials;
import dev.ferry.credentials.CredentialLookup;
import dev.ferry.location.ImageLocation;
import dev.ferry.reference.Repository;
import dev.ferry.registry.RegistryAccess;
import dev.ferry.tls.Certificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** How to reach the registry of a command that reads from one registry. */
final class RegistryOptions {

    private final FerryCommand root;
    boolean tlsVerify;
    String creds;
    boolean noCreds;
    String registryToken;
    Path authfile;
    Path certDir;

    RegistryOptions(FerryCommand root) {
        this.root = root;
    }

    void addTo(CommandSpec spec) {
        Specs.add(spec, Specs.flag(v -> tlsVerify = v, "--tls-verify").arity("0..1").paramLabel("true|false")
                .defaultValue("true").fallbackValue("true")
                .description("Require HTTPS with a verified certificate (default true). false also allows plain HTTP. "
                    + "Loopback registries may always use plain HTTP."),
            Specs.text(v -> creds = v, "--creds").paramLabel("USER[:PASSWORD]")
                .description("Credentials for the registry; without :PASSWORD, asked for on the terminal. "
                    + "Default: the auth files and credential helpers docker and podman use."),
            Specs.flag(v -> noCreds = v, "--no-creds")
                .description("Access the registry anonymously: no stored credentials are read."),
            Specs.text(v -> registryToken = v, "--registry-token").paramLabel("TOKEN")
                .description("A bearer token to send as it is, instead of asking the registry's token service."),
            Specs.path(v -> authfile = v, "--authfile").paramLabel("PATH")
                .description("Read credentials from this auth file only (default: $REGISTRY_AUTH_FILE, else "
                    + "$${XDG_RUNTIME_DIR}/containers/auth.json, ~/.config/containers/auth.json, ~/.docker/config.json)."),
            Specs.path(v -> certDir = v, "--cert-dir").paramLabel("DIR")
                .description("Trust the CA certificates (*.crt) and offer the client certificate (NAME.cert + NAME.key) "
                    + "in DIR (default: /etc/containers/certs.d/HOST:PORT/, /etc/docker/certs.d/HOST:PORT/)."));
    }

    RegistryAccess access() {
        return access(null);
    }

    RegistryAccess access(Repository repository) {
        return access(root.env, repository, creds, noCreds, registryToken, tlsVerify, certDir, authfile,
                "--creds");
    }

    /** An image argument in any transport's form, a registry's image reached with these options. */
    ImageLocation location(String image) {
        return withAccess(Transports.imageLocation(image, "image"));
    }

    /** A registry's image gets these options' access to its repository; any other location is as it was. */
    ImageLocation withAccess(ImageLocation location) {
        return location instanceof ImageLocation.Docker docker
                ? docker.withAccess(access(docker.ref().repository())) : location;
    }

    /**
     * Turns one registry's options into its access: for commands with one registry, and for each
     * side of a copy ({@code --src-*}, {@code --dest-*}). Credentials come from {@code creds} (the
     * password asked for on the terminal when missing), else from {@code authfile} or the default
     * auth files, looked up only when the registry asks; certificates from {@code certDir} or the
     * registry's certs.d directory.
     *
     * @param env the environment to find auth files, helpers and certs.d in ({@code FerryCommand.env})
     * @param repository names the registry when a password is asked for; may be null
     * @param creds {@code USER[:PASSWORD]}, or null
     * @param registryToken a bearer token to send as it is, or null
     * @param noCreds anonymous access: neither given nor stored credentials (an auth file is ignored, as skopeo does)
     * @param certDir a certificate directory, or null for the per-registry default
     * @param authfile the one auth file to read, or null for the defaults
     * @param flag names the credentials option in errors, e.g. {@code --dest-creds}
     */
    static RegistryAccess access(Map<String, String> env, Repository repository, String creds, boolean noCreds,
            String registryToken, boolean tlsVerify, Path certDir, Path authfile, String flag) {
        String noCredsFlag = flag.replace("creds", "no-creds");
        String tokenFlag = flag.replace("creds", "registry-token");
        if (noCreds && creds != null) {
            throw new UsageException(flag + " and " + noCredsFlag + " cannot be used together");
        }
        if (registryToken != null && (creds != null || noCreds)) {
            throw new UsageException(tokenFlag + " and " + (noCreds ? noCredsFlag : flag) + " cannot be used together");
        }
        if (registryToken != null && registryToken.isBlank()) {
            throw new UsageException(tokenFlag + " is empty");
        }
        if (certDir != null && !Files.isDirectory(certDir)) {
            throw new UsageException("the certificate directory " + certDir + " does not exist");
        }
        if (authfile != null && !Files.isRegularFile(authfile)) {
            throw new UsageException("the auth file " + authfile + " does not exist (ferry login --authfile "
                    + authfile + " creates it)");
        }
        Credentials given = creds == null ? null : credentials(creds, repository, flag);
        CredentialLookup lookup = noCreds ? CredentialLookup.none() : CredentialLookup.standard(given, authfile, env);
        return new RegistryAccess(lookup, tlsVerify, Certificates.standard(certDir, env), registryToken);
    }

    /** {@code USER:PASSWORD}, or {@code USER} with the password asked for on the terminal. */
    private static Credentials credentials(String creds, Repository repository, String flag) {
        int colon = creds.indexOf(':');
        String user = colon < 0 ? creds : creds.substring(0, colon);
        if (user.isEmpty()) {
            throw new UsageException(flag + " must be USER[:PASSWORD], with a user name");
        }
        if (colon >= 0) {
            return new Credentials(user, creds.substring(colon + 1));
        }
        String where = repository == null ? "" : " at " + repository.registry().name();
        return new Credentials(user, Prompts.password("Password for " + user + where + ": ",
                "no password given for " + user + " in " + flag + " and no terminal to ask for it: write USER:PASSWORD"));
    }
}
