package dev.ferry.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * An HTTP proxy in front of a real registry that counts what passes, as a registry's access log
 * would: requests by method and kind ({@code GET manifests}, {@code HEAD blobs}...) and the blob
 * bytes it served. Upload locations are rewritten to point back at the proxy.
 */
public final class CountingProxy extends Dispatcher implements AutoCloseable {

    // clients that open a spare connection and close it unused are normal here, not worth a warning
    private static final java.util.logging.Logger SERVER_LOG = java.util.logging.Logger.getLogger(MockWebServer.class.getName());
    private static final OkHttpClient HTTP = new OkHttpClient.Builder().followRedirects(false).build();

    private final MockWebServer server = new MockWebServer();
    private final String upstream;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final AtomicLong blobBytesServed = new AtomicLong();
    public final List<String> log = new CopyOnWriteArrayList<>();

    private CountingProxy(String upstreamHostPort) {
        this.upstream = upstreamHostPort;
    }

    public static CountingProxy start(String upstreamHostPort) throws IOException {
        SERVER_LOG.setLevel(java.util.logging.Level.SEVERE);
        CountingProxy proxy = new CountingProxy(upstreamHostPort);
        proxy.server.setDispatcher(proxy);
        proxy.server.setServerSocketFactory(new PlainHttpSockets());
        proxy.server.start(InetAddress.getByName("127.0.0.1"), 0);
        return proxy;
    }

    public String hostPort() {
        return "127.0.0.1:" + server.getPort();
    }

    /** e.g. {@code count("GET", "manifests")}. */
    public long count(String method, String kind) {
        LongAdder n = counts.get(method + " " + kind);
        return n == null ? 0 : n.sum();
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long blobBytesServed() {
        return blobBytesServed.get();
    }

    public void reset() {
        counts.clear();
        blobBytesServed.set(0);
        log.clear();
    }

    @Override
    public MockResponse dispatch(RecordedRequest recorded) {
        String path = recorded.getUrl().encodedPath();
        String query = recorded.getUrl().encodedQuery();
        String kind = path.contains("/blobs/uploads") ? "uploads" : path.contains("/blobs/") ? "blobs"
                : path.contains("/manifests/") ? "manifests" : path.contains("/tags/list") ? "tags" : "other";
        counts.computeIfAbsent(recorded.getMethod() + " " + kind, k -> new LongAdder()).increment();
        log.add(recorded.getMethod() + " " + path + (query == null ? "" : "?" + query));
        byte[] body = recorded.getBody() == null ? new byte[0] : recorded.getBody().toByteArray();
        Request.Builder forward = new Request.Builder()
                .url("http://" + upstream + path + (query == null ? "" : "?" + query));
        Headers headers = recorded.getHeaders();
        for (String name : headers.names()) {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                headers.values(name).forEach(v -> forward.addHeader(name, v));
            }
        }
        String method = recorded.getMethod();
        boolean hasBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        forward.method(method, hasBody ? RequestBody.create(body) : null);
        try (Response response = HTTP.newCall(forward.build()).execute()) {
            byte[] answer = response.body().bytes();
            if (method.equals("GET") && kind.equals("blobs")) {
                blobBytesServed.addAndGet(answer.length);
            }
            MockResponse.Builder out = new MockResponse.Builder().code(response.code());
            for (String name : response.headers().names()) {
                if (name.equalsIgnoreCase("Content-Length")) {
                    continue; // the body sets it; a HEAD answer's is set below
                }
                for (String v : response.headers().values(name)) {
                    out.addHeader(name, name.equalsIgnoreCase("Location") ? v.replace(upstream, hostPort()) : v);
                }
            }
            if (method.equals("HEAD")) {
                String length = response.header("Content-Length");
                out.body(new Buffer()).setHeader("Content-Length", length != null ? length : "0");
            } else {
                out.body(new Buffer().write(answer));
            }
            return out.build();
        } catch (IOException e) {
            return new MockResponse.Builder().code(502).build();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
