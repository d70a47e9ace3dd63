package dev.ferry.cli;

import dev.ferry.digest.Digest;
import dev.ferry.manifest.Descriptor;
import dev.ferry.manifest.Manifest;
import dev.ferry.transfer.BlobOutcome;
import dev.ferry.transfer.BlobRecord;
import dev.ferry.transfer.TransferResult;
import dev.ferry.transfer.TransferListener;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a transfer on standard error: on a terminal one live line per blob (bytes, rate, ETA);
 * elsewhere plain lines without control characters, one per blob as it completes. Never on
 * standard out, which belongs to {@code --format json}.
 */
final class ProgressDisplay implements TransferListener {

    enum Mode { LIVE, PLAIN, QUIET }

    private final PrintStream err;
    private final Mode mode;
    private final Map<Digest, ProgressBar> bars = new ConcurrentHashMap<>();

    ProgressDisplay(PrintStream err, Mode mode) {
        this.err = err;
        this.mode = mode;
    }

    /** Live bars only when standard error is a terminal (told by scripts/ferry, or the console). */
    static Mode modeFor(boolean quiet) {
        if (quiet) {
            return Mode.QUIET;
        }
        String tty = System.getenv("FERRY_STDERR_TTY");
        boolean terminal = tty != null ? tty.equals("1") : System.console() != null && System.console().isTerminal();
        return terminal ? Mode.LIVE : Mode.PLAIN;
    }

    @Override
    public void resolved(Manifest root, List<Descriptor> blobs) {
        if (mode != Mode.QUIET) {
            line("image " + root.digest() + " (" + blobs.size() + " blobs, " + human(Descriptor.totalSize(blobs))
                    + ")");
        }
    }

    @Override
    public void started(Descriptor blob) {
        if (mode == Mode.LIVE) {
            bars.put(blob.digest(), new ProgressBarBuilder()
                    .setTaskName(blob.digest().shortHex())
                    .setInitialMax(blob.size())
                    .setUnit("MiB", 1024 * 1024)
                    .showSpeed()
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(200)
                    .setMaxRenderedLength(110)
                    .setConsumer(new InteractiveConsoleProgressBarConsumer(err))
                    .build());
        }
    }

    @Override
    public void progressed(Descriptor blob, long bytes) {
        ProgressBar bar = bars.get(blob.digest());
        if (bar != null) {
            bar.stepBy(bytes);
        }
    }

    @Override
    public void finished(BlobRecord record) {
        ProgressBar bar = bars.remove(record.descriptor().digest());
        if (bar != null) {
            bar.close();
        }
        if (mode == Mode.PLAIN) {
            line(String.format(Locale.ROOT, "%-16s", record.outcome().word()) + record.descriptor().digest()
                    + " " + human(record.descriptor().size())
                    + (record.diffId() != null && record.outcome() == BlobOutcome.FETCHED ? " (diff_id verified)" : ""));
        }
    }

    @Override
    public void notice(String message) {
        if (mode != Mode.QUIET) {
            line("note: " + message);
        }
    }

    /** The closing line of a pull into a layout. */
    void summary(TransferResult result, String destination) {
        if (closeBars()) {
            line(String.format(Locale.ROOT, "pulled %s -> %s: %s, %s fetched (%d blobs present) in %s", result.reference(),
                    destination, result.manifest().digest(), human(result.bytesDownloaded()),
                    count(result, BlobOutcome.PRESENT), timeAndRate(result)));
        }
    }

    /** The closing line of a copy into a registry. */
    void copySummary(TransferResult result, String destination) {
        if (closeBars()) {
            line(String.format(Locale.ROOT, "copied %s -> %s: %s, %s fetched (%d blobs mounted, %d present) in %s",
                    result.reference(), destination, result.manifest().digest(), human(result.bytesDownloaded()),
                    count(result, BlobOutcome.MOUNTED), count(result, BlobOutcome.PRESENT), timeAndRate(result)));
        }
    }

    /** The closing line of a verification. */
    void verifySummary(TransferResult result, String image) {
        if (closeBars()) {
            line(String.format(Locale.ROOT, "verified %s: %s, %d blobs, %s read in %s", image, result.manifest().digest(),
                    count(result, BlobOutcome.FETCHED), human(result.bytesDownloaded()), timeAndRate(result)));
        }
    }

    /** Every line goes out through {@link TerminalText}: references, notices and names may come from a registry. */
    private void line(String text) {
        err.println(TerminalText.line(text));
    }

    /** Closes the bars left; true when a summary is to be printed. */
    private boolean closeBars() {
        bars.values().forEach(ProgressBar::close);
        return mode != Mode.QUIET;
    }

    private static long count(TransferResult result, BlobOutcome outcome) {
        return result.blobs().stream().filter(b -> b.outcome() == outcome).count();
    }

    /** The time, and the rate when bytes moved (a copy of mounts only moves none). */
    private static String timeAndRate(TransferResult result) {
        double seconds = result.elapsed().toNanos() / 1e9;
        if (result.bytesDownloaded() == 0) {
            return String.format(Locale.ROOT, "%.2f s", seconds);
        }
        return String.format(Locale.ROOT, "%.2f s (%s/s)", seconds,
                human((long) (result.bytesDownloaded() / Math.max(seconds, 1e-3))));
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
