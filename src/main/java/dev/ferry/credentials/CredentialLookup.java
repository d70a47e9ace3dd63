package dev.ferry.credentials;

import dev.ferry.auth.Credentials;
import dev.ferry.reference.Registry;
import dev.ferry.reference.Repository;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a registry's credentials come from, as a value: credentials given on the command line, or
 * the auth files to read in order (first match wins) and where to find credential helpers. Nothing
 * is read until {@link #find} is called, which the registry code does only when a registry asks for
 * credentials, so a public registry costs no file read and no helper process.
 *
 * @param given credentials that win over every file ({@code --creds}), or null
 * @param authFiles the auth files, in order
 * @param helperPath the directories to look for {@code docker-credential-NAME} in
 */
public record CredentialLookup(Credentials given, List<Path> authFiles, List<Path> helperPath) {

    public CredentialLookup {
        authFiles = List.copyOf(authFiles);
        helperPath = List.copyOf(helperPath);
    }

    /** No credentials at all: anonymous access. */
    public static CredentialLookup none() {
        return new CredentialLookup(null, List.of(), List.of());
    }

    /** Exactly these credentials (none when null), whatever files say. */
    public static CredentialLookup of(Credentials credentials) {
        return new CredentialLookup(credentials, List.of(), List.of());
    }

    /**
     * skopeo's order: {@code given}; else {@code authfile}, else {@code $REGISTRY_AUTH_FILE}, else
     * the default files (see {@link AuthFileLocations#search}).
     */
    public static CredentialLookup standard(Credentials given, Path authfile, Map<String, String> env) {
        if (given != null) {
            return of(given);
        }
        return new CredentialLookup(null, AuthFileLocations.search(authfile, env), AuthFileLocations.helperPath(env));
    }

    /** The credentials for a repository (a per-repository entry wins), or null for anonymous access. */
    public Credentials find(Repository repository) throws CredentialsException {
        return given != null ? given : find(AuthKeys.candidates(repository));
    }

    /** The credentials for a registry as a whole, or null. */
    public Credentials find(Registry registry) throws CredentialsException {
        return given != null ? given : find(AuthKeys.candidates(registry));
    }

    private Credentials find(List<String> keys) throws CredentialsException {
        for (Path file : authFiles) {
            for (AuthFile.Entry entry : AuthFile.read(file).entries(keys)) {
                Credentials found = switch (entry) {
                    case AuthFile.Entry.Stored stored -> stored.credentials();
                    // A helper that holds nothing for the server lets the next entry answer.
                    case AuthFile.Entry.Helper helper -> new CredentialHelper(helper.name(), helperPath)
                            .get(AuthKeys.helperServerUrl(helper.key()), helper.configuredAs());
                };
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    // Written out: a record's generated equals and hashCode are bound on first call through
    // invokedynamic and method handles, which the AOT cache does not keep; a credential lookup is compared on
    // every command's start-up path.
    @Override
    public boolean equals(Object o) {
        return o instanceof CredentialLookup c && java.util.Objects.equals(given, c.given)
                && java.util.Objects.equals(authFiles, c.authFiles) && java.util.Objects.equals(helperPath, c.helperPath);
    }

    @Override
    public int hashCode() {
        return (java.util.Objects.hashCode(given) * 31 + java.util.Objects.hashCode(authFiles)) * 31
                + java.util.Objects.hashCode(helperPath);
    }
}
