package dev.ferry.cli;

import dev.ferry.credentials.AuthFile;
import dev.ferry.credentials.AuthFileLocations;
import dev.ferry.credentials.AuthKeys;
import dev.ferry.credentials.CredentialsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;

final class LogoutCommand implements Callable<Integer> {

    private static final Pattern KEY = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:[0-9]+)?(/[a-z0-9]+([._/-][a-z0-9]+)*)?");

    final FerryCommand root;
    boolean all;
    Path authfile;
    String registry;

    LogoutCommand(FerryCommand root) {
        this.root = root;
    }

    /** The command's model: its usage text, and its options bound to the fields above. */
    CommandSpec spec() {
        CommandSpec spec = Specs.command(this, "logout", false,
                "Remove stored credentials from the auth file ferry login writes.",
                "Credential helpers and other auth files (docker's config.json) are left alone.");
        Specs.add(spec, Specs.flag(v -> all = v, "-a", "--all")
                .description("Remove the credentials of every registry."),
            Specs.path(v -> authfile = v, "--authfile").paramLabel("PATH")
                .description("The auth file to change."));
        Specs.add(spec, Specs.parameter(String.class, v -> registry = v, "0").arity("0..1").paramLabel("REGISTRY")
                .description("host[:port] or host[:port]/namespace, as logged in"));
        return spec;
    }

    @Override
    public Integer call() throws Exception {
        if (all == (registry != null)) {
            throw new UsageException("give either a REGISTRY or --all");
        }
        Path file = AuthFileLocations.loginFile(authfile, root.env);
        AuthFile auth = AuthFile.read(file);
        if (all) {
            if (auth.removeAll()) {
                auth.write();
            }
            root.out.println("Removed login credentials for all registries");
        } else {
            String key = key(registry);
            if (!auth.remove(key)) {
                throw new CredentialsException("not logged in to " + key + " (no credentials for it in " + file + ")"
                        + elsewhere(key, file));
            }
            auth.write();
            root.out.println("Removed login credentials for " + key);
        }
        root.out.flush();
        return ExitCodes.OK;
    }

    /** Where else the credentials are, when they are not where logout looked. */
    private String elsewhere(String key, Path looked) {
        if (authfile != null) {
            return "";
        }
        for (Path other : AuthFileLocations.search(null, root.env)) {
            try {
                if (!other.equals(looked) && !AuthFile.read(other).authKeys(key).isEmpty()) {
                    return "; " + other + " has credentials for it, which ferry logout leaves alone";
                }
            } catch (CredentialsException e) {
                // Only a hint: a file that cannot be read gives none.
            }
        }
        return "";
    }

    /** A REGISTRY argument of login or logout in its canonical key form, or a usage error. */
    static String key(String argument) {
        if (argument.startsWith("docker://")) {
            throw new UsageException("'" + argument + "': name the registry as host[:port], without docker://");
        }
        String key;
        try {
            key = AuthKeys.normalize(argument);
        } catch (IllegalArgumentException e) {
            throw new UsageException("'" + argument + "' is not a registry: write host[:port]");
        }
        if (!KEY.matcher(key).matches()) {
            throw new UsageException("'" + argument + "' is not a registry: write host[:port] or host[:port]/namespace");
        }
        return key;
    }
}
