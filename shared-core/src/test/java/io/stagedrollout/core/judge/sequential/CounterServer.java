package io.stagedrollout.core.judge.sequential;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A local OpenMetrics endpoint with canary and stable request counters that tests move by hand. */
final class CounterServer implements AutoCloseable {
    private final HttpServer server;
    volatile long canaryRequests, canaryErrors, baselineRequests, baselineErrors;
    /** Added to the counters on every scrape (traffic that flows while the gate waits), when set. */
    volatile long[] perScrape = {0, 0, 0, 0};
    volatile int status = 200;
    volatile boolean withErrorSeries = true;
    volatile String lastAuthorization;
    /** When set, served as is instead of the four counters (tests that need many series). */
    volatile String exposition;

    CounterServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", ex -> {
            lastAuthorization = ex.getRequestHeaders().getFirst("Authorization");
            String body;
            synchronized (this) {
                long[] d = perScrape;
                canaryRequests += d[0];
                canaryErrors += d[1];
                baselineRequests += d[2];
                baselineErrors += d[3];
                body = exposition != null ? exposition : body();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        });
        server.start();
    }

    synchronized void add(long cr, long ce, long br, long be) {
        canaryRequests += cr;
        canaryErrors += ce;
        baselineRequests += br;
        baselineErrors += be;
    }

    synchronized void set(long cr, long ce, long br, long be) {
        canaryRequests = cr;
        canaryErrors = ce;
        baselineRequests = br;
        baselineErrors = be;
    }

    private String body() {
        StringBuilder sb = new StringBuilder("# TYPE http_requests counter\n");
        sb.append("http_requests_total{version=\"canary\",code=\"200\"} ").append(canaryRequests - canaryErrors).append('\n');
        sb.append("http_requests_total{version=\"stable\",code=\"200\"} ").append(baselineRequests - baselineErrors).append('\n');
        if (withErrorSeries) {
            sb.append("http_requests_total{version=\"canary\",code=\"503\"} ").append(canaryErrors).append('\n');
            sb.append("http_requests_total{version=\"stable\",code=\"503\"} ").append(baselineErrors).append('\n');
        }
        return sb.append("# EOF\n").toString();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
