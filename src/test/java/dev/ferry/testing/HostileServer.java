package dev.ferry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket HTTP/1.1 server for what MockWebServer will not send: informational responses
 * without end, a status line or body dripped a byte at a time. Each connection reads one request's
 * head and then runs the behaviour until it returns, the client hangs up or the server closes.
 */
public final class HostileServer implements AutoCloseable {

    /** What to write once a request's head has been read. */
    @FunctionalInterface
    public interface Behaviour {
        void answer(OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean closed;

    private HostileServer(Behaviour behaviour) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.behaviour = behaviour;
        Thread.ofPlatform().daemon().name("hostile-server").start(this::acceptLoop);
    }

    public static HostileServer start(Behaviour behaviour) throws IOException {
        return new HostileServer(behaviour);
    }

    /** {@code 103 Early Hints} every {@code millis}, for ever. */
    public static Behaviour earlyHintsForever(long millis) {
        return out -> {
            while (true) {
                out.write("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(millis);
            }
        };
    }

    /** A 200 whose head and body arrive one byte every {@code millis}: never a gap, never an end. */
    public static Behaviour drip(int bodyLength, long millis) {
        return out -> {
            byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + bodyLength
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            out.write(head);
            out.flush();
            for (int i = 0; i < bodyLength; i++) {
                out.write(' ');
                out.flush();
                Thread.sleep(millis);
            }
        };
    }

    public String hostPort() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** How many requests reached the behaviour. */
    public int requests() {
        return requests.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                Thread.ofPlatform().daemon().name("hostile-connection").start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            // The request head ends with an empty line; ferry sends no request bodies here.
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
            }
            requests.incrementAndGet();
            behaviour.answer(socket.getOutputStream());
        } catch (IOException | InterruptedException e) {
            // the client hung up, or the test ended
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
