package dev.ferry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a registry that injects faults into connections at random
 * (seeded): it drops a connection after some response bytes, delays the response, stalls it for
 * longer than a read timeout, or answers the first request with 503 (or 429) and Retry-After: 1
 * instead of forwarding it. After {@code maxFaults} faults it forwards everything cleanly, so a
 * client that retries always gets through.
 */
public final class FaultyProxy implements AutoCloseable {

    public enum Fault { DROP, DELAY, STALL, UNAVAILABLE }

    private final ServerSocket server;
    private final int targetPort;
    private final Random random;
    private final int maxFaults;
    private final long stallMillis;
    private final AtomicInteger faults = new AtomicInteger();
    private final Map<Fault, AtomicInteger> counts = new EnumMap<>(Fault.class);
    private final AtomicInteger connections = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile long bytesPerSecond;
    private volatile boolean closed;

    private FaultyProxy(int targetPort, long seed, int maxFaults, long stallMillis) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.random = new Random(seed);
        this.maxFaults = maxFaults;
        this.stallMillis = stallMillis;
        for (Fault fault : Fault.values()) {
            counts.put(fault, new AtomicInteger());
        }
        Thread.ofPlatform().daemon().name("faulty-proxy-accept").start(this::acceptLoop);
    }

    /** Starts a proxy to {@code 127.0.0.1:targetPort}; a stall lasts {@code stallMillis}. */
    public static FaultyProxy start(int targetPort, long seed, int maxFaults, long stallMillis) throws IOException {
        return new FaultyProxy(targetPort, seed, maxFaults, stallMillis);
    }

    /** Limits each connection's response bytes to {@code bytesPerSecond} (0: no limit). */
    public FaultyProxy throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        return this;
    }

    public int port() {
        return server.getLocalPort();
    }

    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    /** How many faults of each kind were injected so far. */
    public Map<Fault, Integer> counts() {
        Map<Fault, Integer> copy = new EnumMap<>(Fault.class);
        counts.forEach((fault, n) -> copy.put(fault, n.get()));
        return copy;
    }

    public int connections() {
        return connections.get();
    }

    /** A fault for a new connection and its parameter (bytes before it fires, or millis to wait), or null. */
    private record Plan(Fault fault, long bytes, long millis) {
    }

    private synchronized Plan plan() {
        double r = random.nextDouble();
        long bytes = random.nextInt(1536 * 1024);
        if (r < 0.25) {
            return new Plan(Fault.DROP, bytes, 0);
        } else if (r < 0.45) {
            return new Plan(Fault.DELAY, 0, 50 + random.nextInt(251));
        } else if (r < 0.60) {
            return new Plan(Fault.STALL, bytes, stallMillis);
        } else if (r < 0.80) {
            return new Plan(Fault.UNAVAILABLE, 0, random.nextBoolean() ? 503 : 429);
        }
        return null;
    }

    /** Takes one fault from the budget and counts it, or returns false once the budget is spent. */
    private boolean fire(Fault fault) {
        if (faults.getAndIncrement() >= maxFaults) {
            return false;
        }
        counts.get(fault).incrementAndGet();
        return true;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                connections.incrementAndGet();
                sockets.add(client);
                Plan plan = plan();
                Thread.ofPlatform().daemon().name("faulty-proxy-conn").start(() -> serve(client, plan));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client, Plan plan) {
        try (client) {
            if (plan != null && plan.fault() == Fault.UNAVAILABLE && fire(Fault.UNAVAILABLE)) {
                readRequestHead(client.getInputStream());
                String status = plan.millis() == 503 ? "503 Service Unavailable" : "429 Too Many Requests";
                client.getOutputStream().write(("HTTP/1.1 " + status + "\r\nRetry-After: 1\r\nContent-Length: 0\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                return;
            }
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
                sockets.add(upstream);
                Thread up = Thread.ofPlatform().daemon().name("faulty-proxy-up")
                        .start(() -> pump(client, upstream));
                downstream(upstream.getInputStream(), client.getOutputStream(), plan);
                up.interrupt();
            } finally {
                client.close();
                sockets.removeIf(Socket::isClosed);
            }
        } catch (IOException | InterruptedException e) {
            // the client or the registry went away, or the proxy closed: nothing to do
        } finally {
            sockets.remove(client);
        }
    }

    /** Reads up to the blank line ending a request head (the request line is all that matters). */
    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    private void downstream(InputStream in, OutputStream out, Plan plan) throws IOException, InterruptedException {
        if (plan != null && plan.fault() == Fault.DELAY && fire(Fault.DELAY)) {
            Thread.sleep(plan.millis());
        }
        boolean pending = plan != null && (plan.fault() == Fault.DROP || plan.fault() == Fault.STALL);
        long sent = 0;
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            int len = n;
            if (pending && sent + n > plan.bytes()) {
                len = (int) (plan.bytes() - sent);
                out.write(buffer, 0, len);
                out.flush();
                pending = false;
                if (fire(plan.fault())) {
                    if (plan.fault() == Fault.STALL) {
                        Thread.sleep(plan.millis());
                    }
                    return; // a dropped connection, or one that stalled and then went away
                }
                out.write(buffer, len, n - len);
            } else {
                out.write(buffer, 0, len);
            }
            out.flush();
            sent += n;
            long limit = bytesPerSecond;
            if (limit > 0) {
                Thread.sleep(n * 1000L / limit);
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
