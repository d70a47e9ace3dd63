package dev.ferry.transfer;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ways to abort the requests under way; once aborted, a request registered later is aborted
 * at once. Adding before reading the flag, and setting it before aborting, leaves no request out.
 */
final class AbortableCalls {

    private final Set<Runnable> calls = ConcurrentHashMap.newKeySet();
    private volatile boolean aborted;

    void add(Runnable abort) {
        calls.add(abort);
        if (aborted) {
            abort.run();
        }
    }

    void removeAll(Collection<Runnable> aborts) {
        calls.removeAll(aborts);
    }

    void abortAll() {
        aborted = true;
        calls.forEach(Runnable::run);
    }
}
