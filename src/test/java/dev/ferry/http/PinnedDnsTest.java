package dev.ferry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Dns;
import org.junit.jupiter.api.Test;

/** A name found loopback is connected to at those addresses only, whatever DNS answers next. */
class PinnedDnsTest {

    final AtomicReference<List<InetAddress>> answer = new AtomicReference<>();
    final Dns changing = host -> {
        List<InetAddress> addresses = answer.get();
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        return addresses;
    };

    @Test
    void aNameFoundLoopbackKeepsItsAddressesWhenTheDnsAnswerChanges() throws Exception {
        PinnedDns dns = new PinnedDns(changing);
        answer.set(List.of(InetAddress.ofLiteral("127.0.0.1")));
        assertTrue(dns.isLoopback("registry.localhost"));

        answer.set(List.of(InetAddress.ofLiteral("203.0.113.9")));

        assertEquals(List.of(InetAddress.ofLiteral("127.0.0.1")), dns.lookup("registry.localhost"));
        assertEquals(List.of(InetAddress.ofLiteral("203.0.113.9")), dns.lookup("other.example"));
    }

    @Test
    void aNameThatIsNotLoopbackIsNotPinned() throws Exception {
        PinnedDns dns = new PinnedDns(changing);
        answer.set(List.of(InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("203.0.113.9")));
        assertFalse(dns.isLoopback("mixed.localhost"));

        answer.set(List.of(InetAddress.ofLiteral("198.51.100.1")));

        assertEquals(List.of(InetAddress.ofLiteral("198.51.100.1")), dns.lookup("mixed.localhost"));
    }

    @Test
    void aNameThatDoesNotResolveIsNotLoopback() {
        assertFalse(new PinnedDns(changing).isLoopback("nowhere.localhost"));
    }

    @Test
    void aNameIsLookedUpForTheDecisionOnceHoweverOftenItIsAsked() {
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        PinnedDns dns = new PinnedDns(host -> {
            lookups.incrementAndGet();
            return List.of(InetAddress.ofLiteral(host.startsWith("local") ? "127.0.0.1" : "203.0.113.9"));
        });

        for (int i = 0; i < 3; i++) {
            assertFalse(dns.isLoopback("auth.example"));
            assertTrue(dns.isLoopback("local.localhost"));
        }

        assertEquals(2, lookups.get());
    }
}
