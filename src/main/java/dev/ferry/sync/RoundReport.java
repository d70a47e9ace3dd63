package dev.ferry.sync;

import java.util.Map;

/**
 * The summary of one round.
 *
 * @param requests every request of the round, by registry ({@code host:port}) then method
 * @param pauses how often a registry's budget made every worker wait
 */
public record RoundReport(long round, int upToDate, int copied, int failed, long bytes,
        Map<String, Map<String, Long>> requests, long pauses, double seconds) {

    public String line() {
        return String.format("round %d: %d up-to-date, %d copied, %d failed, %d bytes, requests %s, %.1fs", round,
                upToDate, copied, failed, bytes, requests, seconds);
    }
}
