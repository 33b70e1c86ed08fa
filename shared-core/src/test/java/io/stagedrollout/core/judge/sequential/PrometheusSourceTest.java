package io.stagedrollout.core.judge.sequential;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.GateKinds;
import io.stagedrollout.core.gate.GateProbe;
import io.stagedrollout.core.gate.MeasureContext;
import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.Outcome;
import io.stagedrollout.core.plan.GateSpec;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gate reading cumulative counts from a local stand-in of Prometheus' HTTP API. */
class PrometheusSourceTest {
    private static final Instant BAKE_START = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant NOW = BAKE_START.plusSeconds(60);
    private HttpServer server;
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private volatile String vectorOverride;
    /** When set, the result vector for a query at the start of the bake (true) or now (false). */
    private volatile java.util.function.BiFunction<String, Boolean, String> vectors;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/query", ex -> {
            Map<String, String> q = new LinkedHashMap<>();
            for (String kv : ex.getRequestURI().getRawQuery().split("&")) {
                String[] p = kv.split("=", 2);
                q.put(p[0], URLDecoder.decode(p[1], StandardCharsets.UTF_8));
            }
            String query = q.get("query");
            double time = Double.parseDouble(q.get("time"));
            asked.add(query + " @" + (long) time);
            boolean start = (long) time == BAKE_START.getEpochSecond();
            // the canary's series appear only after it started; the baseline has a long history
            String value = switch (query.replaceAll("\\{.*", "")) {
                case "sum(requests_total" -> query.contains("canary") ? (start ? null : "1000") : (start ? "500000" : "509000");
                case "sum(errors_total" -> query.contains("canary") ? (start ? null : "60") : (start ? "5000" : "5090");
                default -> null;
            };
            String result = vectors != null ? vectors.apply(query, start) : vectorOverride != null ? vectorOverride
                    : value == null ? "[]" : "[{\"metric\":{},\"value\":[" + time + ",\"" + value + "\"]}]";
            byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":" + result + "}}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Measurement measureOnce() throws InterruptedException {
        return measureOnce(Map.of("requests", "sum(requests_total{track=\"canary\",version=\"{{version}}\"})",
                "errors", "sum(errors_total{track=\"canary\",version=\"{{version}}\"})"),
                Map.of("requests", "sum(requests_total{track=\"stable\"})", "errors", "sum(errors_total{track=\"stable\"})"));
    }

    private Measurement measureOnce(Map<String, String> canary, Map<String, String> baseline) throws InterruptedException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prometheus", "http://127.0.0.1:" + server.getAddress().getPort());
        m.put("alpha", 0.05);
        m.put("canary", canary);
        m.put("baseline", baseline);
        GateSpec spec = new GateSpec("seq", "sequential", Duration.ofSeconds(60), null, Duration.ZERO, 0, 0, 4, false, m);
        GateEnvironment env = new GateEnvironment(Map.of(), Path.of("."), HttpClient.newHttpClient(), Clock.fixed(NOW, ZoneOffset.UTC));
        GateProbe p = GateKinds.find("sequential").orElseThrow().open(spec, env);
        return p.measure(new MeasureContext(Map.of("ROLLOUT_VERSION", "2.0\"} or vector(1) #"), BAKE_START, NOW, List.of()));
    }

    @Test
    void firstIntervalRunsFromTheStartOfTheBakeWithoutWaiting() throws Exception {
        // the counters are asked at the bake's start and now: nothing is read "now" and again after a window
        Measurement m = measureOnce();
        assertThat(asked).hasSize(8).anyMatch(a -> a.endsWith("@" + BAKE_START.getEpochSecond()))
                .anyMatch(a -> a.endsWith("@" + NOW.getEpochSecond()));
        // canary 60 of 1000 (6%) against baseline 90 of 9000 (1%)
        assertThat(m.data()).containsEntry("intervals", "1000 60 9000 90");
        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.summary()).contains("canary 6% (60/1000) vs baseline 1% (90/9000)");
    }

    @Test
    void aVersionCannotChangeTheQuery() throws Exception {
        measureOnce();
        assertThat(asked).anyMatch(a -> a.startsWith("sum(requests_total{track=\"canary\",version=\"2.0\\\"} or vector(1) #\"})"));
    }

    @Test
    void aQueryReturningManySeriesIsAnError() throws Exception {
        vectorOverride = "[{\"metric\":{\"pod\":\"a\"},\"value\":[1,\"1\"]},{\"metric\":{\"pod\":\"b\"},\"value\":[1,\"2\"]}]";
        Measurement m = measureOnce();
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("returned 2 series").contains("wrap it in sum");
    }

    @Test
    void noDataNowIsAnErrorNotAPass() throws Exception {
        vectorOverride = "[]";
        Measurement m = measureOnce();
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("no data for");
    }

    /** A vector of the counter's own series, one per pod: {@code pod=value}. */
    private static String podSeries(String name, String... podValues) {
        StringBuilder sb = new StringBuilder("[");
        for (String pv : podValues) {
            String[] p = pv.split("=");
            if (sb.length() > 1) sb.append(',');
            sb.append("{\"metric\":{\"__name__\":\"").append(name).append("\",\"pod\":\"").append(p[0])
                    .append("\"},\"value\":[1,\"").append(p[1]).append("\"]}");
        }
        return sb.append(']').toString();
    }

    @Test
    void theCountersOwnSeriesAreDiffedOneByOneSoARestartedPodCountsFromZero() throws Exception {
        // pod b (already erring) restarted during the bake: the summed canary requests still grow (2000 -> 3200)
        vectors = (query, start) -> {
            boolean canary = query.contains("canary");
            if (query.startsWith("requests_total")) {
                return canary ? podSeries("requests_total", start ? new String[] {"a=1000", "b=1000"} : new String[] {"a=3000", "b=200"})
                        : podSeries("requests_total", start ? "s=500000" : "s=509000");
            }
            return canary ? podSeries("errors_total", start ? new String[] {"a=10", "b=500"} : new String[] {"a=400", "b=150"})
                    : podSeries("errors_total", start ? "s=5000" : "s=5090");
        };
        Measurement m = measureOnce(Map.of("requests", "requests_total{track=\"canary\"}", "errors", "errors_total{track=\"canary\"}"),
                Map.of("requests", "requests_total{track=\"stable\"}", "errors", "errors_total{track=\"stable\"}"));

        assertThat(m.data()).containsEntry("intervals", "2200 540 9000 90"); // sums alone: 1200 requests, 40 errors
        assertThat(m.summary()).contains("2 series restarted; counted from zero");
    }
}
