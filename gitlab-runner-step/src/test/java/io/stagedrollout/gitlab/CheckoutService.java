package io.stagedrollout.gitlab;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small service under rollout, on 127.0.0.1: {@code /checkout} answers 500 for a share of requests that depends
 * on the version the deploy action last wrote to {@code deployed-version}; {@code /metrics} exposes the request
 * and error counters in OpenMetrics text. A traffic thread calls {@code /checkout} for real, so the gates in the
 * pipelines measure what the deployed version does.
 */
final class CheckoutService implements AutoCloseable {
    private final HttpServer server;
    private final Path deployedVersion;
    private final Map<String, Integer> errorsPerHundred;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Thread traffic;
    private volatile boolean running = true;

    /** @param errorsPerHundred per version, how many of every 100 requests fail; unknown versions never fail */
    CheckoutService(Path deployedVersion, Map<String, Integer> errorsPerHundred) throws IOException {
        this.deployedVersion = deployedVersion;
        this.errorsPerHundred = Map.copyOf(errorsPerHundred);
        // without TCP_NODELAY each keep-alive answer waits for the client's delayed ACK (~40 ms)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/checkout", exchange -> {
            long n = requests.incrementAndGet();
            int rate = errorsPerHundred(currentVersion());
            // errors spread evenly: the n-th request fails when it completes another rate/100 of a failure
            boolean fail = n * rate / 100 > (n - 1) * rate / 100;
            if (fail) errors.incrementAndGet();
            byte[] body = (fail ? "error" : "ok").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fail ? 500 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/metrics", exchange -> {
            String text = "# TYPE http_requests counter\n"
                    + "http_requests_total " + requests.get() + "\n"
                    + "# TYPE http_requests_errors counter\n"
                    + "http_requests_errors_total " + errors.get() + "\n"
                    + "# EOF\n";
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type",
                    "application/openmetrics-text; version=1.0.0; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        traffic = new Thread(this::sendTraffic, "checkout-traffic");
        traffic.setDaemon(true);
        traffic.start();
    }

    String metricsUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
    }

    long requests() {
        return requests.get();
    }

    private int errorsPerHundred(String version) {
        return errorsPerHundred.getOrDefault(version, 0);
    }

    private String currentVersion() {
        try {
            return Files.exists(deployedVersion) ? Files.readString(deployedVersion).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private void sendTraffic() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/checkout");
        while (running) {
            try {
                client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding());
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // the server is stopping
            }
        }
    }

    @Override
    public void close() {
        running = false;
        traffic.interrupt();
        server.stop(0);
    }
}
