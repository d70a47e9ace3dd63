package dev.ferry.transfer;

import java.io.InterruptedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops the blob transfers of one image when one of them fails: running transfers are aborted (a
 * read blocked on a slow connection fails at once) and the others see the flag at their next read.
 */
final class Cancellation {

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final Set<Runnable> aborts = ConcurrentHashMap.newKeySet();

    /** Cancels; true for the caller that cancelled first. */
    boolean cancel() {
        boolean first = cancelled.compareAndSet(false, true);
        aborts.forEach(Runnable::run);
        return first;
    }

    boolean isCancelled() {
        return cancelled.get();
    }

    void throwIfCancelled() throws InterruptedIOException {
        if (cancelled.get()) {
            throw new InterruptedIOException("cancelled: another blob of this transfer failed");
        }
    }

    /** Registers how to abort a transfer that is starting; aborts it at once if already cancelled. */
    void register(Runnable abort) {
        aborts.add(abort);
        if (cancelled.get()) {
            abort.run();
        }
    }

    void unregister(Runnable abort) {
        aborts.remove(abort);
    }

    /**
     * The aborts of one attempt at a transfer: each call it makes is registered as it starts, and
     * closing the scope unregisters them all.
     */
    Scope scope() {
        return new Scope();
    }

    final class Scope implements AutoCloseable {
        private final java.util.List<Runnable> registered = new java.util.ArrayList<>();

        /** Registers how to abort a call of this attempt (as {@code onAbort} receives it). */
        void register(Runnable abort) {
            registered.add(abort);
            Cancellation.this.register(abort);
        }

        @Override
        public void close() {
            registered.forEach(Cancellation.this::unregister);
        }
    }
}
