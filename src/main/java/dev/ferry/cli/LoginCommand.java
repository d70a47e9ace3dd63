package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.auth.Credentials;
import dev.ferry.credentials.AuthFile;
import dev.ferry.credentials.AuthFileLocations;
import dev.ferry.credentials.CredentialLookup;
import dev.ferry.reference.Registry;
import dev.ferry.registry.RegistryAccess;
import dev.ferry.tls.Certificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class LoginCommand implements Callable<Integer> {

    /** Far more than any password; stops a mistaken pipe from filling the heap. */
    private static final int MAX_PASSWORD = 64 * 1024;

    final FerryCommand root;
    String username;
    boolean passwordStdin;
    Path authfile;
    boolean tlsVerify;
    Path certDir;
    String registry;

    LoginCommand(FerryCommand root) {
        this.root = root;
    }

    /** The command's model: its usage text, and its options bound to the fields above. */
    CommandSpec spec() {
        CommandSpec spec = Specs.command(this, "login", false,
                "Check credentials against a registry, then store them in an auth file.",
                "The file is --authfile, else $REGISTRY_AUTH_FILE, else $${XDG_RUNTIME_DIR}/containers/auth.json",
                "(where podman and skopeo log in); it is written atomically with mode 0600, other entries kept.");
        Specs.add(spec, Specs.text(v -> username = v, "-u", "--username").paramLabel("USER")
                .description("The user name (asked for on the terminal when missing)."),
            Specs.flag(v -> passwordStdin = v, "--password-stdin")
                .description("Read the password from standard input (a trailing newline is dropped)."),
            Specs.path(v -> authfile = v, "--authfile").paramLabel("PATH")
                .description("The auth file to store the credentials in."),
            Specs.flag(v -> tlsVerify = v, "--tls-verify").arity("0..1").paramLabel("true|false")
                .defaultValue("true").fallbackValue("true")
                .description("Require HTTPS with a verified certificate (default true)."),
            Specs.path(v -> certDir = v, "--cert-dir").paramLabel("DIR")
                .description("CA certificates (*.crt) and a client certificate (NAME.cert + NAME.key) for the registry."));
        Specs.add(spec, Specs.parameter(String.class, v -> registry = v, "0").paramLabel("REGISTRY")
                .description("host[:port], or host[:port]/namespace for credentials that "
                    + "apply to one namespace only"));
        return spec;
    }

    @Override
    public Integer call() throws Exception {
        String key = LogoutCommand.key(registry);
        Registry target = new Registry(key.contains("/") ? key.substring(0, key.indexOf('/')) : key);
        if (certDir != null && !Files.isDirectory(certDir)) {
            throw new UsageException("the certificate directory " + certDir + " does not exist");
        }
        String user = username != null ? username
                : Prompts.line("Username: ", "no user name given and no terminal to ask for it: use --username");
        if (user.isEmpty() || user.contains(":")) {
            throw new UsageException("the user name must not be empty or contain ':'");
        }
        String password = passwordStdin ? passwordFromStdin()
                : Prompts.password("Password: ", "no terminal to ask for the password: use --password-stdin");
        Credentials credentials = new Credentials(user, password);
        Path file = AuthFileLocations.loginFile(authfile, root.env);
        // Read first: a broken file is reported before anything is sent, and kept as it is.
        AuthFile auth = AuthFile.read(file);
        RegistryAccess access = new RegistryAccess(CredentialLookup.of(credentials), tlsVerify,
                Certificates.standard(certDir, root.env));
        try (Ferry ferry = root.ferry()) {
            if (!ferry.checkLogin(target, access)) {
                root.err.println("ferry: warning: " + target + " asks for no credentials; storing them anyway");
            }
        }
        auth.put(key, credentials);
        auth.write();
        root.out.println("Login Succeeded!");
        root.out.flush();
        return ExitCodes.OK;
    }

    private String passwordFromStdin() throws IOException {
        String text = new String(root.in.readNBytes(MAX_PASSWORD), StandardCharsets.UTF_8);
        // docker login --password-stdin drops one trailing newline, as echo and here-strings add it.
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
            throw new UsageException("no password on standard input");
        }
        return text;
    }
}
