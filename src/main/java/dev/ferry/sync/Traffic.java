package dev.ferry.sync;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Every request of a sync passes here: it waits for its registry's {@link RequestBudget}, and is
 * counted by registry and method, and for the image the calling thread works on (threads a
 * transfer starts inherit the image).
 */
final class Traffic implements Interceptor {

    private static final InheritableThreadLocal<RequestTally> CURRENT = new InheritableThreadLocal<>();

    private final SyncSettings settings;
    private final RequestBudget.Sleeper sleeper;
    private final Map<String, RequestBudget> budgets = new ConcurrentHashMap<>();
    private final Map<String, RequestTally> byRegistry = new ConcurrentHashMap<>();
    private volatile RequestListener listener = (registry, method) -> { };

    /** Told of every request; the metrics count them. */
    interface RequestListener {
        void sent(String registry, String method);
    }

    Traffic(SyncSettings settings, RequestBudget.Sleeper sleeper) {
        this.settings = settings;
        this.sleeper = sleeper;
    }

    void listener(RequestListener l) {
        this.listener = l;
    }

    /** Runs {@code work} with its requests (and those of threads it starts) counted in {@code tally}. */
    static <T> T counting(RequestTally tally, java.util.concurrent.Callable<T> work) throws Exception {
        RequestTally before = CURRENT.get();
        CURRENT.set(tally);
        try {
            return work.call();
        } finally {
            CURRENT.set(before);
        }
    }

    RequestBudget budget(String registry) {
        return budgets.computeIfAbsent(registry, r -> new RequestBudget(settings, sleeper));
    }

    /** Requests by method sent to each registry ({@code host:port}) since the start. */
    Map<String, Map<String, Long>> byRegistry() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        byRegistry.forEach((registry, tally) -> out.put(registry, tally.snapshot()));
        return out;
    }

    long pauses() {
        return budgets.values().stream().mapToLong(RequestBudget::pauses).sum();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        String registry = request.url().host() + ":" + request.url().port();
        RequestBudget budget = budget(registry);
        budget.acquire();
        Response response = null;
        try {
            String method = request.method();
            byRegistry.computeIfAbsent(registry, r -> new RequestTally()).add(method);
            RequestTally tally = CURRENT.get();
            if (tally != null) {
                tally.add(method);
            }
            listener.sent(registry, method);
            response = chain.proceed(request);
            return response;
        } finally {
            budget.release(response == null ? 0 : response.code(),
                    response == null ? null : response.header("Retry-After"),
                    response == null ? null : response.header("ratelimit-remaining"));
        }
    }
}
