package io.stagedrollout.core.testing.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small exporter a real Prometheus scrapes: {@code http_requests_total} and {@code http_requests_errors_total}
 * for one service in several versions. Every scrape counts {@link #REQUESTS_PER_SCRAPE} more requests per version
 * and the version's error ratio of them as errors, so {@code rate(errors)/rate(requests)} over any window is that
 * ratio exactly.
 */
public final class RequestCountingExporter implements AutoCloseable {
    public static final int REQUESTS_PER_SCRAPE = 1000;

    private record Counters(double errorRatio, long[] requestsAndErrors) {}

    private final HttpServer server;
    private final String service;
    private final Map<String, Counters> versions = new LinkedHashMap<>();

    public RequestCountingExporter(String service) throws IOException {
        this.service = service;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", this::scrape);
        server.start();
    }

    /** Serves a version whose requests fail at {@code errorRatio} (a multiple of 1/{@link #REQUESTS_PER_SCRAPE}). */
    public synchronized RequestCountingExporter version(String version, double errorRatio) {
        versions.put(version, new Counters(errorRatio, new long[2]));
        return this;
    }

    /** {@code 127.0.0.1:port}, a Prometheus scrape target. */
    public String target() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private synchronized void scrape(HttpExchange ex) throws IOException {
        StringBuilder requests = new StringBuilder("# TYPE http_requests_total counter\n");
        StringBuilder errors = new StringBuilder("# TYPE http_requests_errors_total counter\n");
        versions.forEach((version, c) -> {
            c.requestsAndErrors()[0] += REQUESTS_PER_SCRAPE;
            c.requestsAndErrors()[1] += Math.round(c.errorRatio() * REQUESTS_PER_SCRAPE);
            String labels = "{service=\"" + escape(service) + "\",version=\"" + escape(version) + "\"}";
            requests.append("http_requests_total").append(labels).append(' ').append(c.requestsAndErrors()[0]).append('\n');
            errors.append("http_requests_errors_total").append(labels).append(' ').append(c.requestsAndErrors()[1]).append('\n');
        });
        byte[] body = (requests.toString() + errors).getBytes(StandardCharsets.UTF_8);
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Label values in the text exposition format escape backslash, double quote and newline. */
    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
