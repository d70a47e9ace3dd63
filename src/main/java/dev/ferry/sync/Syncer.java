package dev.ferry.sync;

import dev.ferry.credentials.CredentialLookup;
import dev.ferry.http.Retrier;
import dev.ferry.http.RetryPolicy;
import dev.ferry.reference.Registry;
import dev.ferry.reference.Repository;
import dev.ferry.http.HttpClients;
import dev.ferry.registry.RegistryAccess;
import dev.ferry.registry.RegistryClients;
import dev.ferry.tls.Certificates;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;

/**
 * {@code ferry sync} as a library: a configuration, run round after round. One HTTP client, one
 * token cache and one request budget per registry serve every round and every worker.
 */
public final class Syncer implements AutoCloseable {

    private final SyncConfig config;
    private final Shard shard;
    private final Map<String, String> env;
    private final Traffic traffic;
    private final RegistryClients clients;
    private final Map<Registry, RegistryAccess> access = new ConcurrentHashMap<>();
    /** The platform image last copied for a source index, by source digest: a later round needs no GET. */
    final Map<String, dev.ferry.digest.Digest> platformCopies = new ConcurrentHashMap<>();
    private long rounds;

    /**
     * @param debugLog where each HTTP request is logged, or null
     * @param timeout how long connecting, and a request waiting for bytes, may take
     */
    public Syncer(SyncConfig config, Shard shard, Map<String, String> env, PrintStream debugLog, Duration timeout) {
        this(config, shard, env, debugLog, timeout, RequestBudget.Sleeper.REAL);
    }

    /** @param sleeper how the budget waits (a test's records the waits) */
    Syncer(SyncConfig config, Shard shard, Map<String, String> env, PrintStream debugLog, Duration timeout,
            RequestBudget.Sleeper sleeper) {
        this.config = config;
        this.shard = shard;
        this.env = Map.copyOf(env);
        this.traffic = new Traffic(config.settings().share(shard.count()), sleeper);
        OkHttpClient base = HttpClients.create(debugLog, timeout, timeout);
        OkHttpClient counted = base.newBuilder().addInterceptor(traffic).build();
        this.clients = new RegistryClients(counted, new Retrier(RetryPolicy.defaults(), debugLog));
    }

    public SyncConfig config() {
        return config;
    }

    /** The rules this worker runs: those whose source repository falls in its shard. */
    public List<SyncRule> rules() {
        return config.rules().stream().filter(r -> shard.owns(r.source())).toList();
    }

    /** Told of every request, by registry and method (the metrics). */
    public void onRequest(java.util.function.BiConsumer<String, String> listener) {
        traffic.listener(listener::accept);
    }

    RegistryClients clients() {
        return clients;
    }

    Traffic traffic() {
        return traffic;
    }

    RegistryAccess access(Repository repository) {
        return access.computeIfAbsent(repository.registry(), registry -> new RegistryAccess(
                CredentialLookup.standard(config.credentials().get(registry.name()), null, env),
                !config.insecure().contains(registry.name()), Certificates.standard(null, env)));
    }

    /** The images this worker's rules name now (tags listed where a rule lists them), without copying. */
    public Planner.Plan plan() {
        return new Planner(this).plan(rules());
    }

    /** One round: every image decided by HEAD, the changed ones copied largest first. */
    public RoundReport round(Consumer<ImageReport> out, java.util.function.BooleanSupplier stopping) {
        return new Round(this, ++rounds, stopping).run(out);
    }

    @Override
    public void close() {
        clients.close();
    }
}
