package dev.ferry.http;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;

/**
 * Cancels blob transfers that receive no bytes for their timeout; their overall deadline (a
 * {@link Deadline}, so that a sender dripping bytes ends too) is OkHttp's call timeout, armed by
 * the endpoint, and told apart here when a transfer fails. Blob bodies are read without
 * OkHttp's per-read timeout: okio arms its timeout watchdog on every 8 KiB read, and the thread
 * wake-ups that costs were a fifth of a pull's CPU. One thread here checks all transfers a few
 * times a second instead, and only while there are any.
 */
public final class StallWatchdog {

    public static final StallWatchdog SHARED = new StallWatchdog();
    private static final long TICK_MILLIS = 100;

    private final Set<Handle> handles = ConcurrentHashMap.newKeySet();
    private Thread thread;

    /** A transfer being watched; {@link #touch()} on every read, {@link #close()} when done. */
    public final class Handle implements AutoCloseable {
        private final Call call;
        private final long timeoutNanos;
        private final Deadline deadline;
        private volatile long lastProgress = System.nanoTime();
        private volatile boolean fired;

        private Handle(Call call, long timeoutNanos, Deadline deadline) {
            this.call = call;
            this.timeoutNanos = timeoutNanos;
            this.deadline = deadline;
        }

        public void touch() {
            lastProgress = System.nanoTime();
        }

        /** True when the transfer was cancelled for want of bytes. */
        public boolean fired() {
            return fired;
        }

        public long timeoutSeconds() {
            return TimeUnit.NANOSECONDS.toSeconds(timeoutNanos);
        }

        /**
         * What a transfer failed of: a timeout ({@code stalled} for the timeout) when this watch
         * cancelled it, the deadline when that ran out, else the failure as it came.
         */
        public IOException cause(IOException failure, String stalled) {
            if (fired) {
                return new SocketTimeoutException(stalled + " for " + timeoutSeconds() + " s");
            }
            return Deadline.isExceeded(failure) ? deadline.exceeded() : failure;
        }

        @Override
        public void close() {
            handles.remove(this);
        }
    }

    /**
     * Watches a call for gaps; a timeout of zero or less watches nothing.
     *
     * @param deadline the call's overall deadline, for telling its expiry apart in {@link Handle#cause}
     */
    public Handle watch(Call call, long timeoutMillis, Deadline deadline) {
        Handle handle = new Handle(call, TimeUnit.MILLISECONDS.toNanos(timeoutMillis), deadline);
        if (timeoutMillis > 0) {
            handles.add(handle);
            synchronized (this) {
                if (thread == null) {
                    thread = Thread.ofPlatform().daemon().name("ferry-stall-watchdog").start(this::run);
                }
                notifyAll();
            }
        }
        return handle;
    }

    private void run() {
        try {
            while (true) {
                synchronized (this) {
                    while (handles.isEmpty()) {
                        wait();
                    }
                }
                Thread.sleep(TICK_MILLIS);
                long now = System.nanoTime();
                for (Handle handle : handles) {
                    if (now - handle.lastProgress > handle.timeoutNanos) {
                        handle.fired = true;
                        handles.remove(handle);
                        handle.call.cancel();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
