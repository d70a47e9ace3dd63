package dev.ferry.sync;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Requests counted by HTTP method: one image's, or a round's. */
public final class RequestTally {

    private final Map<String, LongAdder> byMethod = new ConcurrentHashMap<>();

    void add(String method) {
        byMethod.computeIfAbsent(method, m -> new LongAdder()).increment();
    }

    public long count(String method) {
        LongAdder n = byMethod.get(method);
        return n == null ? 0 : n.sum();
    }

    /** By method, in a stable order, for printing. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        byMethod.forEach((method, n) -> out.put(method, n.sum()));
        return out;
    }

    void addAll(RequestTally other) {
        other.byMethod.forEach((method, n) -> byMethod.computeIfAbsent(method, m -> new LongAdder()).add(n.sum()));
    }
}
