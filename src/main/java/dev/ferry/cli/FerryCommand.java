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
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "ferry",
        mixinStandardHelpOptions = true,
        versionProvider = FerryCommand.Version.class,
        description = "Inspect, pull and copy container images between registries and OCI layouts.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:other failure (registry server error, unexpected error)",
            "2:usage error (bad option, malformed reference, unknown transport)",
            "3:not found (image, tag, blob or platform)",
            "4:unauthorized or denied",
            "5:verification failure (digest or size mismatch)",
            "6:network failure (DNS, connection, TLS, timeout)",
            "7:invalid or unsupported response (bad JSON, HTML, unsupported manifest, endless tag list)"})
public final class FerryCommand implements Runnable {

    /** The subcommands, by name; registered by {@link Main} (see there why not by annotation). */
    static final String COMPLETION = "completion";
    static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> map = new LinkedHashMap<>();
        map.put("inspect", InspectCommand::new);
        map.put("list-tags", ListTagsCommand::new);
        map.put("pull", PullCommand::new);
        map.put("copy", CopyCommand::new);
        map.put("verify", VerifyCommand::new);
        map.put("save", SaveCommand::new);
        map.put("load", LoadCommand::new);
        map.put("history", HistoryCommand::new);
        map.put("unpack", UnpackCommand::new);
        map.put("export", ExportCommand::new);
        map.put("delete", DeleteCommand::new);
        map.put("sync", SyncCommand::new);
        map.put("login", LoginCommand::new);
        map.put("logout", LogoutCommand::new);
        // picocli's generator of a bash/zsh completion script: `source <(ferry completion)`.
        map.put(COMPLETION, picocli.AutoComplete.GenerateCompletion::new);
        return map;
    }

    final InputStream in;
    final PrintStream out;
    final PrintStream err;
    /** The environment credentials and certificates are looked up in: the process's, or a test's. */
    final Map<String, String> env;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Log each HTTP request (method, URL, status, duration; secrets redacted) and show stack traces.")
    boolean debug;

    @Option(names = "--retry-times", paramLabel = "N", scope = ScopeType.INHERIT,
            description = "Retry a failed registry request up to N times (default ${DEFAULT-VALUE}; skopeo's default is 0). "
                    + "Throttling (429), unavailable (503) and other 5xx answers, resets and timeouts are retried.")
    int retryTimes = RetryPolicy.DEFAULT_TIMES;

    @Option(names = "--retry-delay", paramLabel = "DURATION", scope = ScopeType.INHERIT,
            description = "Fixed delay between retries, e.g. 2s or 500ms (default: exponential back-off with jitter). "
                    + "A registry's Retry-After always wins.")
    String retryDelay;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT,
            description = "How long connecting to a registry may take, e.g. 10s (default 30s).")
    String connectTimeout;

    @Option(names = "--read-timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT,
            description = "How long a request may wait for bytes before it counts as failed; a blob transfer "
                    + "that stalls this long is resumed (default 60s).")
    String readTimeout;

    @Option(names = "--min-rate", paramLabel = "BYTES/s", scope = ScopeType.INHERIT,
            description = "The slowest a blob may arrive or leave after the grace period, e.g. 1MiB or 100KiB "
                    + "(default 1MiB): each request must end within the grace period plus its size at this rate.")
    String minRate;

    @Option(names = "--deadline-grace", paramLabel = "DURATION", scope = ScopeType.INHERIT,
            description = "The time any request gets in all, before its size counts (default: the connect timeout "
                    + "plus the read timeout, at least 30s).")
    String deadlineGrace;

    FerryCommand(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
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
