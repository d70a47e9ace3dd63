package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.FerryOptions;
import dev.ferry.http.RetryPolicy;
import dev.ferry.http.TransferLimits;
import dev.ferry.http.UserAgent;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/** The root of the command line: the options every command inherits, and the list of commands. */
public final class FerryCommand implements Runnable {

    /**
     * The subcommands, by name, each as the model of a new command under a root; registered by
     * {@link Main} (see there why not all of them).
     */
    static final String COMPLETION = "completion";
    static final Map<String, Function<FerryCommand, Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Function<FerryCommand, Object>> subcommands() {
        Map<String, Function<FerryCommand, Object>> map = new LinkedHashMap<>();
        map.put("inspect", root -> new InspectCommand(root).spec());
        map.put("list-tags", root -> new ListTagsCommand(root).spec());
        map.put("pull", root -> new PullCommand(root).spec());
        map.put("copy", root -> new CopyCommand(root).spec());
        map.put("verify", root -> new VerifyCommand(root).spec());
        map.put("save", root -> new SaveCommand(root).spec());
        map.put("load", root -> new LoadCommand(root).spec());
        map.put("history", root -> new HistoryCommand(root).spec());
        map.put("unpack", root -> new UnpackCommand(root).spec());
        map.put("export", root -> new ExportCommand(root).spec());
        map.put("delete", root -> new DeleteCommand(root).spec());
        map.put("sync", root -> new SyncCommand(root).spec());
        map.put("login", root -> new LoginCommand(root).spec());
        map.put("logout", root -> new LogoutCommand(root).spec());
        // picocli's generator of a bash/zsh completion script: `source <(ferry completion)`. Its model
        // comes from its annotations, read only when the script is asked for.
        map.put(COMPLETION, root -> new picocli.AutoComplete.GenerateCompletion());
        return map;
    }

    final InputStream in;
    final PrintStream out;
    final PrintStream err;
    /** The environment credentials and certificates are looked up in: the process's, or a test's. */
    final Map<String, String> env;

    boolean debug;
    int retryTimes = RetryPolicy.DEFAULT_TIMES;
    String retryDelay;
    String connectTimeout;
    String readTimeout;
    String minRate;
    String deadlineGrace;

    FerryCommand(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** The root's model; every command inherits these options (picocli copies them to each, bound here). */
    CommandSpec spec() {
        CommandSpec spec = Specs.command(this, "ferry", true,
                "Inspect, pull and copy container images between registries and OCI layouts.");
        spec.versionProvider(new Version());
        Map<String, String> exitCodes = new LinkedHashMap<>();
        exitCodes.put("0", "success");
        exitCodes.put("1", "other failure (registry server error, unexpected error)");
        exitCodes.put("2", "usage error (bad option, malformed reference, unknown transport)");
        exitCodes.put("3", "not found (image, tag, blob or platform)");
        exitCodes.put("4", "unauthorized or denied");
        exitCodes.put("5", "verification failure (digest or size mismatch)");
        exitCodes.put("6", "network failure (DNS, connection, TLS, timeout)");
        exitCodes.put("7", "invalid or unsupported response (bad JSON, HTML, unsupported manifest, endless tag list)");
        spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(exitCodes);
        Specs.add(spec, inherited(Specs.flag(v -> debug = v, "--debug"))
                .description("Log each HTTP request (method, URL, status, duration; secrets redacted) and show stack traces."),
            inherited(Specs.number(v -> retryTimes = v, "--retry-times")).paramLabel("N").initialValue(retryTimes)
                .description("Retry a failed registry request up to N times (default ${DEFAULT-VALUE}; skopeo's default is 0). "
                    + "Throttling (429), unavailable (503) and other 5xx answers, resets and timeouts are retried."),
            inherited(Specs.text(v -> retryDelay = v, "--retry-delay")).paramLabel("DURATION")
                .description("Fixed delay between retries, e.g. 2s or 500ms (default: exponential back-off with jitter). "
                    + "A registry's Retry-After always wins."),
            inherited(Specs.text(v -> connectTimeout = v, "--connect-timeout")).paramLabel("DURATION")
                .description("How long connecting to a registry may take, e.g. 10s (default 30s)."),
            inherited(Specs.text(v -> readTimeout = v, "--read-timeout")).paramLabel("DURATION")
                .description("How long a request may wait for bytes before it counts as failed; a blob transfer "
                    + "that stalls this long is resumed (default 60s)."),
            inherited(Specs.text(v -> minRate = v, "--min-rate")).paramLabel("BYTES/s")
                .description("The slowest a blob may arrive or leave after the grace period, e.g. 1MiB or 100KiB "
                    + "(default 1MiB): each request must end within the grace period plus its size at this rate."),
            inherited(Specs.text(v -> deadlineGrace = v, "--deadline-grace")).paramLabel("DURATION")
                .description("The time any request gets in all, before its size counts (default: the connect timeout "
                    + "plus the read timeout, at least 30s)."));
        // After the options, where picocli's annotations put them (the completion script lists them in this order).
        Specs.standardHelp(spec);
        return spec;
    }

    private static OptionSpec.Builder inherited(OptionSpec.Builder option) {
        return option.scopeType(ScopeType.INHERIT);
    }

    @Override
    public void run() {
        throw new UsageException("a command is required (inspect, list-tags, pull, copy, login, logout); see 'ferry --help'");
    }

    Ferry ferry() {
        if (retryTimes < 0) {
            throw new UsageException("--retry-times must not be negative");
        }
        FerryOptions defaults = FerryOptions.defaults();
        // Warnings and the debug log quote registries: they pass through the terminal-safe stream.
        PrintStream lines = TerminalText.lines(err);
        FerryOptions options = defaults.withWarnings(lines)
                .withTimeouts(timeout("--connect-timeout", connectTimeout, defaults.connectTimeout()),
                        timeout("--read-timeout", readTimeout, defaults.readTimeout()))
                .withRetry(new RetryPolicy(retryTimes, retryDelay == null ? null : Durations.parse("--retry-delay", retryDelay)));
        if (minRate != null || deadlineGrace != null) {
            Duration grace = deadlineGrace == null ? null : timeout("--deadline-grace", deadlineGrace, null);
            if (grace != null && grace.compareTo(Duration.ofDays(365)) > 0) {
                throw new UsageException("--deadline-grace must be at most a year");
            }
            options = options.withMinRate(minRate == null ? TransferLimits.DEFAULT_MIN_RATE
                    : Rates.parse("--min-rate", minRate), grace);
        }
        return Ferry.create(debug ? options.withDebugLog(lines) : options).withStandardStreams(in, out);
    }

    private static Duration timeout(String option, String text, Duration otherwise) {
        if (text == null) {
            return otherwise;
        }
        Duration timeout = Durations.parse(option, text);
        if (timeout.isZero()) {
            throw new UsageException(option + " must be more than 0");
        }
        return timeout;
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ferry version " + UserAgent.VERSION,
                "gzip inflater: " + Ferry.gzipInflater()};
        }
    }
}
