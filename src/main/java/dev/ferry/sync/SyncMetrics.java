package dev.ferry.sync;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code --metrics ADDR}: the agent's Prometheus metrics on {@code /metrics} and {@code /healthz}
 * (200 once a round has finished without failures, 503 before or after a failed round).
 */
public final class SyncMetrics implements AutoCloseable {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter rounds = Counter.builder().name("ferry_sync_rounds_total").help("Rounds run")
            .register(registry);
    private final Counter images = Counter.builder().name("ferry_sync_images_total")
            .help("Images by outcome: up-to-date, copied, failed").labelNames("outcome").register(registry);
    private final Counter bytes = Counter.builder().name("ferry_sync_bytes_total").help("Blob bytes copied")
            .register(registry);
    private final Counter requests = Counter.builder().name("ferry_sync_requests_total")
            .help("HTTP requests by registry and method").labelNames("registry", "method").register(registry);
    private final Gauge lastSuccess = Gauge.builder().name("ferry_sync_last_success_timestamp_seconds")
            .help("When the last round without failures ended (Unix time)").register(registry);
    private final HTTPServer server;
    private volatile boolean healthy;

    /** @param address {@code HOST:PORT} or {@code :PORT} (all interfaces) */
    public SyncMetrics(String address, Syncer syncer) throws IOException {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--metrics takes HOST:PORT or :PORT");
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--metrics takes HOST:PORT or :PORT");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--metrics: the port must be between 0 and 65535");
        }
        String host = address.substring(0, colon);
        HTTPServer.Builder builder = HTTPServer.builder().port(port).registry(registry).defaultHandler(this::health);
        if (!host.isEmpty()) {
            builder.inetAddress(InetAddress.getByName(host));
        }
        server = builder.buildAndStart();
        syncer.onRequest((reg, method) -> requests.labelValues(reg, method).inc());
    }

    public int port() {
        return server.getPort();
    }

    private void health(HttpExchange exchange) throws IOException {
        boolean known = exchange.getRequestURI().getPath().equals("/healthz");
        int status = !known ? 404 : healthy ? 200 : 503;
        byte[] body = (!known ? "not found" : healthy ? "ok" : "no successful round yet or the last one failed")
                .concat("\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public void image(ImageReport report) {
        images.labelValues(report.status()).inc();
        bytes.inc(report.bytes());
    }

    public void round(RoundReport report) {
        rounds.inc();
        healthy = report.failed() == 0;
        if (healthy) {
            lastSuccess.set(System.currentTimeMillis() / 1000.0);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
