package dev.ferry.sync;

import dev.ferry.auth.Credentials;
import java.util.List;
import java.util.Map;

/**
 * A sync configuration, read from regsync's or skopeo sync's YAML and checked.
 *
 * @param credentials per registry name ({@code host[:port]}), from the file's {@code creds};
 *     registries not named here use the usual auth files
 * @param insecure registry names reached without verifying TLS (or over plain HTTP)
 */
public record SyncConfig(SyncSettings settings, Map<String, Credentials> credentials, List<String> insecure,
        List<SyncRule> rules) {

    public SyncConfig {
        credentials = Map.copyOf(credentials);
        insecure = List.copyOf(insecure);
        rules = List.copyOf(rules);
    }
}
