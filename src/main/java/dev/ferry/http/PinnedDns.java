package dev.ferry.http;

import dev.ferry.reference.Registry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Dns;

/**
 * The resolver of ferry's HTTP client, which decides loopback by address and then keeps to it: a
 * name found to stand for loopback addresses only (and so spoken to over plain HTTP, with
 * credentials) is connected to at exactly those addresses for the rest of the run, so that a
 * second DNS answer cannot send those plain-HTTP requests elsewhere.
 */
public final class PinnedDns implements Dns {

    private final Dns delegate;
    private final Map<String, List<InetAddress>> pinned = new ConcurrentHashMap<>();
    // Names found not loopback, so that asking again (a token request per registry request) costs no lookup.
    private final Map<String, Boolean> notLoopback = new ConcurrentHashMap<>();

    public PinnedDns(Dns delegate) {
        this.delegate = delegate;
    }

    @Override
    public List<InetAddress> lookup(String host) throws UnknownHostException {
        List<InetAddress> known = pinned.get(host.toLowerCase(Locale.ROOT));
        return known != null ? known : delegate.lookup(host);
    }

    /** See {@link Registry#isLoopbackHost}; a name found loopback is pinned to its addresses. */
    public boolean isLoopback(String host) {
        String key = host.toLowerCase(Locale.ROOT);
        if (pinned.containsKey(key)) {
            return true;
        }
        if (notLoopback.containsKey(key)) {
            return false;
        }
        @SuppressWarnings("unchecked")
        List<InetAddress>[] seen = new List[1];
        boolean loopback = Registry.isLoopbackHost(host, name -> seen[0] = List.copyOf(delegate.lookup(name)));
        if (loopback && seen[0] != null) {
            pinned.putIfAbsent(key, seen[0]);
        } else if (!loopback) {
            notLoopback.put(key, Boolean.TRUE);
        }
        return loopback;
    }

    /** Loopback as {@code client} resolves: pinned when it is ferry's resolver. */
    public static boolean isLoopback(Dns dns, String host) {
        return dns instanceof PinnedDns pinning ? pinning.isLoopback(host) : Registry.isLoopbackHost(host, dns::lookup);
    }
}
