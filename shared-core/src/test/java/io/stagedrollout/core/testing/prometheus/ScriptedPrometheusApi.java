package io.stagedrollout.core.testing.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in for Prometheus' {@code /api/v1/query} on a free loopback port that answers what the test scripts
 * (a status, a body, a delay) and records every request, for the fault cases a real server will not produce on
 * demand: 5xx, malformed JSON, a hanging answer, NaN, several series.
 */
public final class ScriptedPrometheusApi implements AutoCloseable {
    /** One request as the server saw it: the method, the decoded form parameters and the headers. */
    public record Request(String method, String rawUri, Map<String, String> params, Map<String, List<String>> headers) {
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            }
            return null;
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body = vector();
    private volatile Duration delay = Duration.ZERO;

    public ScriptedPrometheusApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "scripted-prometheus");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL to put in a gate's {@code address}. */
    public URI address() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public ScriptedPrometheusApi answer(int status, String body) {
        this.status = status;
        this.body = body;
        return this;
    }

    public ScriptedPrometheusApi delay(Duration d) {
        this.delay = d;
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public Request lastRequest() {
        return requests.get(requests.size() - 1);
    }

    /** A success envelope holding an instant vector with one series per value ({@code "NaN"} and {@code "+Inf"} allowed). */
    public static String vector(String... values) {
        StringBuilder sb = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) sb.append(',');
            sb.append("{\"metric\":{\"pod\":\"api-").append(i).append("\"},\"value\":[1700000000.123,\"")
                    .append(values[i]).append("\"]}");
        }
        return sb.append("]}}").toString();
    }

    public static String scalar(String value) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000.123,\"" + value + "\"]}}";
    }

    public static String error(String type, String message) {
        return "{\"status\":\"error\",\"errorType\":\"" + type + "\",\"error\":\"" + message + "\"}";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String form = ex.getRequestURI().getRawQuery();
            if ("POST".equals(ex.getRequestMethod())) {
                form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII);
            }
            requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().toString(), decode(form),
                    Map.copyOf(ex.getRequestHeaders())));
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            // the client gave up (a timeout test); nothing to answer
        }
    }

    private static Map<String, String> decode(String form) {
        Map<String, String> out = new LinkedHashMap<>();
        if (form == null || form.isEmpty()) return out;
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
