package dev.ferry.cli;

/**
 * Runs the slowest class initialisers that every registry command reaches on a second core while
 * the first parses the command line. The AOT cache holds these classes loaded and linked but not
 * initialised, and their initialisers are a fifth of inspect's time after JVM boot: OkHttp's
 * platform probe loads every security provider (the elliptic-curve tables among them), and
 * Jackson's parser base class builds BigDecimal's tables of powers of ten.
 *
 * <p>Each class here is initialised either by this thread or by the one that needs it first (the
 * JVM makes the other wait), so nothing runs twice. None of their initialisers reaches back into
 * ferry's classes or the command-line library, which is what could make two threads wait on each
 * other's initialisers.
 */
final class WarmUp implements Runnable {

    /** In the order the main thread will need them. */
    static final String[] CLASSES = {
        "okhttp3.internal.platform.Platform",
        "tools.jackson.core.base.ParserMinimalBase",
    };

    private WarmUp() {
    }

    /**
     * Starts the warm-up thread; the process never waits for it. A class rather than a method
     * reference: the training run never calls {@code main}, so the AOT cache would not hold the
     * lambda, and the JVM would generate it at start-up.
     */
    static void start() {
        Thread thread = new Thread(new WarmUp(), "ferry-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        ClassLoader loader = WarmUp.class.getClassLoader();
        for (String name : CLASSES) {
            try {
                Class.forName(name, true, loader);
            } catch (ReflectiveOperationException | LinkageError e) {
                // Only time is lost: the class is initialised when first used, or fails there.
            }
        }
    }
}
