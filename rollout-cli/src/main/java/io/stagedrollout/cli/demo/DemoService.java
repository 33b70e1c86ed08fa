package io.stagedrollout.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small service for the demo, on 127.0.0.1: it serves requests from a stable and a canary version, splitting
 * traffic by the canary's weight, and counts requests and errors per role on an OpenMetrics endpoint. A deploy
 * webhook ({@code POST /admin/deploy}, the body the core's webhook action sends) moves the canary's weight; each
 * version has its own error rate, so a bad version really fails more requests.
 */
public final class DemoService implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final Map<String, Double> errorRates;
    private final double defaultErrorRate;
    private volatile Double badErrorRate;
    private volatile String stableVersion;
    private volatile String canaryVersion;
    private volatile double canaryPercent;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Dealer canaryShare = new Dealer();
    private final Map<String, Dealer> errorShares = new ConcurrentHashMap<>();
    private volatile java.util.function.Consumer<String> onChange = line -> { };

    public DemoService(int port, String stableVersion, Map<String, Double> errorRates, double defaultErrorRate) throws IOException {
        this.stableVersion = stableVersion;
        this.errorRates = Map.copyOf(errorRates);
        this.defaultErrorRate = defaultErrorRate;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "demo-service");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::serve);
        server.createContext("/metrics", this::metrics);
        server.createContext("/healthz", this::health);
        server.createContext("/admin/deploy", this::deploy);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String stableVersion() {
        return stableVersion;
    }

    private void serve(HttpExchange ex) throws IOException {
        boolean canary = canaryVersion != null && canaryShare.next(canaryPercent / 100);
        String role = canary ? "canary" : "stable";
        String version = canary ? canaryVersion : stableVersion;
        boolean error = errorShares.computeIfAbsent(role + ' ' + version, k -> new Dealer()).next(errorRate(version));
        counters.computeIfAbsent("http_requests_total{version=\"" + role + "\"}", k -> new AtomicLong()).incrementAndGet();
        if (error) counters.computeIfAbsent("http_requests_errors_total{version=\"" + role + "\"}", k -> new AtomicLong()).incrementAndGet();
        reply(ex, error ? 500 : 200, "text/plain", (error ? "error from " : "hello from ") + version + "\n");
    }

    /**
     * Deals out a share of events evenly instead of drawing them at random: of n events, floor(n × share) or one
     * more are chosen. A demo (and the test that runs it) sees the same traffic split and error count every time,
     * so a bad version can never pass its canary by luck.
     */
    private static final class Dealer {
        private double credit;

        synchronized boolean next(double share) {
            credit += Math.max(0, Math.min(1, share));
            if (credit < 1) return false;
            credit -= 1;
            return true;
        }
    }

    /** The version's error rate: its own, else {@code badErrorRate} for a version named {@code …-bad}, else the default. */
    private double errorRate(String version) {
        Double own = errorRates.get(version);
        if (own != null) return own;
        return version != null && version.endsWith("-bad") && badErrorRate != null ? badErrorRate : defaultErrorRate;
    }

    /** Versions named {@code …-bad} fail this share of their requests (the tour's bad version). */
    public DemoService badVersionsErr(double rate) {
        this.badErrorRate = rate;
        return this;
    }

    private void metrics(HttpExchange ex) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# TYPE http_requests counter\n# TYPE http_requests_errors counter\n");
        counters.forEach((k, v) -> sb.append(k).append(' ').append(v.get()).append('\n'));
        sb.append("# EOF\n");
        reply(ex, 200, "application/openmetrics-text; version=1.0.0; charset=utf-8", sb.toString());
    }

    private void health(HttpExchange ex) throws IOException {
        reply(ex, 200, "application/json", "{\"status\":\"UP\",\"stable\":\"" + stableVersion + "\"}");
    }

    /**
     * {@code POST /admin/deploy}: the webhook action's JSON ({@code {"operation": "DEPLOY"|"REVERT", "rollout":
     * {ROLLOUT_* values}}}), or a form ({@code operation=deploy|revert&version=…&percent=…}) as a deploy script sends
     * with {@code curl --data-urlencode}.
     */
    private void deploy(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            reply(ex, 405, "text/plain", "POST only\n");
            return;
        }
        String op;
        String version;
        String percent;
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
            Map<String, String> form = form(new String(ex.getRequestBody().readNBytes(4096), StandardCharsets.UTF_8));
            op = form.getOrDefault("operation", "").toUpperCase(java.util.Locale.ROOT);
            version = form.getOrDefault("version", "");
            percent = form.getOrDefault("percent", "0");
        } else {
            JsonNode body;
            try {
                body = JSON.readTree(ex.getRequestBody());
            } catch (IOException e) {
                reply(ex, 400, "text/plain", "not JSON\n");
                return;
            }
            op = body.path("operation").asText();
            version = body.path("rollout").path("ROLLOUT_VERSION").asText();
            percent = body.path("rollout").path("ROLLOUT_PERCENT").asText("0");
        }
        double share;
        try {
            share = Double.parseDouble(percent.isEmpty() ? "0" : percent);
        } catch (NumberFormatException e) {
            reply(ex, 400, "text/plain", "percent is not a number\n");
            return;
        }
        if (!(share >= 0 && share <= 100) || version.length() > 200) {
            reply(ex, 400, "text/plain", "percent must be 0-100 and version at most 200 characters\n");
            return;
        }
        String said;
        synchronized (this) {
            if ("DEPLOY".equals(op)) {
                // a version that had all the traffic and is followed by another one had become the stable version
                if (canaryVersion != null && canaryPercent >= 100 && !canaryVersion.equals(version)) stableVersion = canaryVersion;
                canaryVersion = version;
                canaryPercent = share;
                said = "deploy: " + version + " gets " + percent + "% of the traffic (stable " + stableVersion + ")";
            } else if ("REVERT".equals(op)) {
                if (!version.isEmpty()) stableVersion = version;
                canaryPercent = 0;
                canaryVersion = null;
                said = "revert: all traffic back to " + stableVersion;
            } else {
                reply(ex, 400, "text/plain", "unknown operation\n");
                return;
            }
        }
        onChange.accept(printable(said)); // versions come from outside: no raw control characters
        reply(ex, 200, "application/json", "{\"canary\":" + JSON.writeValueAsString(canaryVersion) + ",\"percent\":" + canaryPercent + "}");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) continue;
            form.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    private static String printable(String s) {
        return new io.stagedrollout.core.plan.Problem("", 0, s).message();
    }

    /** Told of every deploy and revert, in words (the tour's `demo --serve` prints them). */
    public DemoService onChange(java.util.function.Consumer<String> listener) {
        this.onChange = listener;
        return this;
    }

    /** Once a rollout completes, the new version is the stable one and the canary role is empty. */
    public synchronized void promoteCanaryToStable() {
        if (canaryVersion != null) stableVersion = canaryVersion;
        canaryVersion = null;
        canaryPercent = 0;
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
