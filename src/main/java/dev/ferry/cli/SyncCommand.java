package dev.ferry.cli;

import dev.ferry.json.Json;
import dev.ferry.sync.ConfigException;
import dev.ferry.sync.ConfigReader;
import dev.ferry.sync.ImageReport;
import dev.ferry.sync.PlanItem;
import dev.ferry.sync.RoundReport;
import dev.ferry.sync.Shard;
import dev.ferry.sync.SyncConfig;
import dev.ferry.sync.SyncMetrics;
import dev.ferry.sync.Syncer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

final class SyncCommand implements Callable<Integer> {

    /** How long SIGTERM lets the current round finish its blobs before the process ends. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(25);

    final FerryCommand root;
    Path config;
    String dest;
    boolean once;
    String interval;
    boolean dryRun;
    String format = "text";
    String shard;
    String metrics;

    SyncCommand(FerryCommand root) {
        this.root = root;
    }

    /** The command's model: its usage text, and its options bound to the fields above. */
    CommandSpec spec() {
        CommandSpec spec = Specs.command(this, "sync", true,
                "Keep the images a regsync (or skopeo sync) YAML file names current in a "
                + "registry or an OCI layout: decided by HEAD requests, changed images copied largest first.");
        Specs.add(spec, Specs.parameter(Path.class, v -> config = v, "0").paramLabel("CONFIG")
                .description("regsync's config.yml, or skopeo sync's --src yaml file"));
        Specs.add(spec, Specs.text(v -> dest = v, "--dest").paramLabel("HOST[/PREFIX]|oci:DIR")
                .description("For a skopeo sync file: where its repositories go, each keeping its path."),
            Specs.flag(v -> once = v, "--once")
                .description("Run one round and exit (the default)."),
            Specs.text(v -> interval = v, "--interval").arity("0..1").paramLabel("DURATION").fallbackValue("")
                .description("Run a round, wait this long, and again, until SIGTERM (e.g. 15m); without a value, "
                    + "the file's defaults.interval."),
            Specs.flag(v -> dryRun = v, "--dry-run")
                .description("Print the plan (tags listed, nothing decided or copied)."),
            Specs.text(v -> format = v, "--format").paramLabel("text|json").initialValue(format)
                .description("json: one JSON object per line."),
            Specs.text(v -> shard = v, "--shard").paramLabel("I/N")
                .description("Run only the entries whose source repository hashes to shard I of N; the budget is divided by N."),
            Specs.text(v -> metrics = v, "--metrics").paramLabel("[HOST]:PORT")
                .description("Serve Prometheus metrics and /healthz."));
        return spec;
    }

    @Override
    public Integer call() throws Exception {
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("--format must be text or json");
        }
        if (once && interval != null) {
            throw new UsageException("--once and --interval exclude each other");
        }
        Shard part;
        try {
            part = shard == null ? Shard.ALL : Shard.parse(shard);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        SyncConfig cfg;
        try {
            cfg = ConfigReader.read(config, root.env, dest);
        } catch (ConfigException e) {
            root.err.println("ferry: invalid sync configuration: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        Duration every = interval == null ? null
                : !interval.isEmpty() ? Durations.parse("--interval", interval) : cfg.settings().interval();
        if (interval != null && every == null) {
            throw new UsageException("--interval without a value needs defaults.interval in " + config);
        }
        if (every != null && every.isZero()) {
            throw new UsageException("--interval must be more than 0");
        }
        boolean json = format.equals("json");
        try (Syncer syncer = new Syncer(cfg, part, root.env, root.debug ? root.err : null, Duration.ofSeconds(60))) {
            if (dryRun) {
                var plan = syncer.plan();
                for (PlanItem item : plan.items()) {
                    root.out.println(json ? Json.MAPPER.writeValueAsString(new Planned(item.source().toString(),
                            item.targetName())) : "plan " + item.source() + " -> " + item.targetName());
                }
                plan.failures().forEach(f -> print(f, json));
                return plan.failures().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
            }
            SyncMetrics served = metrics == null ? null : new SyncMetrics(metrics, syncer);
            try {
                return agent(syncer, served, json, every);
            } finally {
                if (served != null) {
                    served.close();
                }
            }
        }
    }

    record Planned(String source, String target) {
    }

    private RoundReport round(Syncer syncer, SyncMetrics served, boolean json,
            java.util.function.BooleanSupplier stopping) {
        Consumer<ImageReport> out = r -> {
            print(r, json);
            if (served != null) {
                served.image(r);
            }
        };
        RoundReport report = syncer.round(out, stopping);
        root.out.println(json ? Json.MAPPER.writeValueAsString(new Summary("summary", report)) : report.line());
        root.out.flush();
        if (served != null) {
            served.round(report);
        }
        return report;
    }

    record Summary(String type, RoundReport round) {
    }

    private void print(ImageReport r, boolean json) {
        root.out.println(json ? Json.MAPPER.writeValueAsString(r) : r.line());
        root.out.flush();
    }

    /**
     * One round ({@code every} null), or rounds until SIGTERM. In both modes the shutdown hook stops
     * new images from starting and waits a grace period for the ones under way; what it cuts off is
     * abandoned, never half-written (a registry keeps no unfinished upload, a layout no unverified
     * blob, and manifests go last). The JVM then exits 143, as any process ended by SIGTERM.
     */
    private int agent(Syncer syncer, SyncMetrics served, boolean json, Duration every) throws InterruptedException {
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopping.set(true);
            try {
                done.await(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ferry-sync-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = ExitCodes.OK;
        try {
            while (!stopping.get()) {
                code = round(syncer, served, json, stopping::get).failed() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
                if (every == null) {
                    break;
                }
                long until = System.nanoTime() + every.toNanos();
                while (!stopping.get() && System.nanoTime() < until) {
                    Thread.sleep(Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
                }
            }
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs
            }
        }
        return code;
    }
}
