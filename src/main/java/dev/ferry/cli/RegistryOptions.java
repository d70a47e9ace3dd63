package dev.ferry.cli;

import dev.ferry.auth.Credentials;
import dev.ferry.registry.RegistryAccess;
import picocli.CommandLine.Option;

/** How to reach the registry of a command that reads from one registry. */
final class RegistryOptions {

    @Option(names = "--tls-verify", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Require HTTPS with a verified certificate (default true). false also allows plain HTTP. "
                    + "Loopback registries may always use plain HTTP.")
    boolean tlsVerify;

    @Option(names = "--creds", paramLabel = "USER:PASSWORD",
            description = "Credentials for the registry.")
    String creds;

    RegistryAccess access() {
        return access(creds, tlsVerify, "--creds");
    }

    /** The access one side of a command asks for; {@code flag} names the credentials option in errors. */
    static RegistryAccess access(String creds, boolean tlsVerify, String flag) {
        Credentials credentials = null;
        if (creds != null) {
            try {
                credentials = Credentials.parse(creds);
            } catch (IllegalArgumentException e) {
                throw new UsageException(flag + " must be USER:PASSWORD");
            }
        }
        return new RegistryAccess(credentials, tlsVerify);
    }
}
