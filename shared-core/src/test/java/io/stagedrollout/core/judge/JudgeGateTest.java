package io.stagedrollout.core.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.GateKinds;
import io.stagedrollout.core.gate.GateProbe;
import io.stagedrollout.core.gate.MeasureContext;
import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.Outcome;
import io.stagedrollout.core.plan.InvalidPlanException;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.plan.RolloutPlan;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JudgeGateTest {
    static final Instant NOW = Instant.parse("2026-11-26T04:00:00Z");
    static final Map<String, String> VARS = Map.of("ROLLOUT_VERSION", "2.0.0\"}or vector(1)", "ROLLOUT_STABLE_VERSION", "1.9.0",
            "ROLLOUT_RING", "canary", "ROLLOUT_SERVICE", "checkout");

    @TempDir Path dir;
    HttpServer server;
    final List<Map<String, String>> queries = new CopyOnWriteArrayList<>();
    volatile Function<Map<String, String>, Object[]> answer; // {status, body}

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    int serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            Map<String, String> q = new HashMap<>();
            String raw = ex.getRequestURI().getRawQuery();
            if (raw != null) {
                for (String kv : raw.split("&")) {
                    int i = kv.indexOf('=');
                    q.put(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
                }
            }
            q.put("_path", ex.getRequestURI().getPath());
            q.put("_auth", String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            queries.add(q);
            Object[] a = answer.apply(q);
            byte[] body = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders((Integer) a[0], body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        return server.getAddress().getPort();
    }

    static String matrix(double[]... series) {
        StringBuilder sb = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
        for (int s = 0; s < series.length; s++) {
            if (s > 0) sb.append(',');
            sb.append("{\"metric\":{\"pod\":\"p").append(s).append("\"},\"values\":[");
            for (int i = 0; i < series[s].length; i++) {
                if (i > 0) sb.append(',');
                double v = series[s][i];
                sb.append('[').append(1764129000 + i * 10).append(",\"")
                        .append(Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.6f", v)).append("\"]");
            }
            sb.append("]}");
        }
        return sb.append("]}}").toString();
    }

    static double[] normal(long seed, int n, double mean) {
        Random rnd = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = mean + rnd.nextGaussian() * 0.01;
        return v;
    }

    RolloutPlan plan(String gate) throws InvalidPlanException {
        return PlanReader.parse("""
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: 5m, gates: [latency-judge]}
                  - {name: everyone, exposure: 100%, bake: 0s}
                gates:
                  latency-judge:
                """ + gate.indent(4));
    }

    GateProbe open(String gate) throws InvalidPlanException {
        RolloutPlan p = plan(gate);
        GateEnvironment env = new GateEnvironment(Map.of("PROM_TOKEN", "s3cret"), dir, HttpClient.newHttpClient(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        return GateKinds.find("judge").orElseThrow().open(p.gates().get("latency-judge"), env);
    }

    static MeasureContext ctx(List<Measurement> previous) {
        return new MeasureContext(VARS, NOW.minusSeconds(300), NOW, previous);
    }

    String prometheusGate(int port) {
        return """
                kind: judge
                interval: 1m
                metrics:
                  - name: p99-latency
                    source: {kind: prometheus, url: http://127.0.0.1:%d, tokenEnv: PROM_TOKEN, step: 10s, window: 5m,
                             canary: 'histogram_quantile(0.99, rate(latency_bucket{version="{{version}}"}[1m]))',
                             baseline: 'histogram_quantile(0.99, rate(latency_bucket{version="{{stableVersion}}"}[1m]))'}
                    direction: increase
                    allowedIncrease: 1.1
                    critical: true
                    weight: 1
                pass: 95
                marginal: 75
                """.formatted(port);
    }

    @Test
    void prometheusRangeQueriesAreTemplatedEscapedAndTimed() throws Exception {
        int port = serve();
        answer = q -> new Object[] {200, matrix(normal(1, 30, 0.2))};
        try (GateProbe probe = open(prometheusGate(port))) {
            probe.measure(ctx(List.of()));
        }
        assertThat(queries).hasSize(2);
        Map<String, String> canary = queries.get(0);
        assertThat(canary.get("_path")).isEqualTo("/api/v1/query_range");
        // the version's quote cannot close the PromQL string: it arrives escaped
        assertThat(canary.get("query")).isEqualTo("histogram_quantile(0.99, rate(latency_bucket{version=\"2.0.0\\\"}or vector(1)\"}[1m]))");
        assertThat(queries.get(1).get("query")).contains("version=\"1.9.0\"");
        assertThat(canary.get("start")).isEqualTo(String.format(Locale.ROOT, "%.3f", NOW.minusSeconds(300).getEpochSecond() * 1.0));
        assertThat(canary.get("end")).isEqualTo(String.format(Locale.ROOT, "%.3f", NOW.getEpochSecond() * 1.0));
        assertThat(canary.get("step")).isEqualTo("10.000");
        assertThat(canary.get("_auth")).isEqualTo("Bearer s3cret");
    }

    @Test
    void healthyCanaryPasses() throws Exception {
        int port = serve();
        answer = q -> new Object[] {200, q.get("query").contains("1.9.0") ? matrix(normal(1, 30, 0.2)) : matrix(normal(2, 30, 0.2))};
        Measurement m;
        try (GateProbe probe = open(prometheusGate(port))) {
            m = probe.measure(ctx(List.of()));
        }
        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(m.value()).isEqualTo(100.0);
        assertThat(m.summary()).startsWith("score 100 (1 of 1 metrics passed) >= pass 95").contains("p99-latency PASS");
        assertThat(m.summary()).doesNotContain("s3cret");
        assertThat(m.data()).containsKeys("score", "pass", "marginal", "metrics");
    }

    @Test
    void slowerCanaryFailsAsACriticalMetric() throws Exception {
        int port = serve();
        answer = q -> new Object[] {200, q.get("query").contains("1.9.0") ? matrix(normal(1, 30, 0.2)) : matrix(normal(2, 15, 0.3), normal(3, 15, 0.3))};
        Measurement m;
        try (GateProbe probe = open(prometheusGate(port))) {
            m = probe.measure(ctx(List.of()));
        }
        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.summary()).startsWith("critical failure of p99-latency").contains("HIGH", "30 vs 30 values", "mean ratio 1.5");
    }

    @Test
    void anEmptyResultForACriticalMetricFailsAsKayentaDoes() throws Exception {
        // changed on purpose (issue 17): a critical metric without data fails the judgement (Kayenta's rule)
        int port = serve();
        answer = q -> new Object[] {200, matrix()};
        try (GateProbe probe = open(prometheusGate(port))) {
            Measurement m = probe.measure(ctx(List.of()));
            assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(m.summary()).startsWith("critical failure of p99-latency")
                    .contains("no data: canary 0 values", "a critical metric without data fails the gate");
        }
    }

    @Test
    void allNaNIsNoDataAndNeverPasses() throws Exception {
        int port = serve();
        double[] nan = new double[20];
        java.util.Arrays.fill(nan, Double.NaN);
        answer = q -> new Object[] {200, matrix(nan)};
        try (GateProbe probe = open(prometheusGate(port))) {
            assertThat(probe.measure(ctx(List.of())).outcome()).isEqualTo(Outcome.FAIL);
        }
    }

    @Test
    void serverErrorIsAnError() throws Exception {
        int port = serve();
        answer = q -> new Object[] {503, "overloaded"};
        try (GateProbe probe = open(prometheusGate(port))) {
            Measurement m = probe.measure(ctx(List.of()));
            assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(m.summary()).contains("answered HTTP 503");
        }
    }

    @Test
    void prometheusErrorStatusIsAnError() throws Exception {
        int port = serve();
        answer = q -> new Object[] {200, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}"};
        try (GateProbe probe = open(prometheusGate(port))) {
            Measurement m = probe.measure(ctx(List.of()));
            assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(m.summary()).contains("bad_data parse error");
        }
    }

    @Test
    void credentialsInTheUrlAreRefusedWhenThePlanIsRead() {
        String gate = prometheusGate(9).replace("url: http://127.0.0.1:", "url: http://admin:hunter2@127.0.0.1:");
        assertThatThrownBy(() -> plan(gate)).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("source.url: must not carry a secret, but has credentials before '@'").hasMessageNotContaining("hunter2");
    }

    @Test
    void credentialsInAStoredUrlNeverReachTheSummary() throws Exception {
        // a plan stored before the URL rule existed still carries them: the second line of defence keeps them out
        io.stagedrollout.core.plan.GateSpec valid = plan(prometheusGate(9)).gates().get("latency-judge");
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        String settings = mapper.writeValueAsString(valid.settings()).replace("http://127.0.0.1:", "http://admin:hunter2@127.0.0.1:");
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = mapper.readValue(settings, Map.class);
        var spec = new io.stagedrollout.core.plan.GateSpec(valid.name(), valid.kind(), valid.interval(), valid.count(), valid.initialDelay(),
                valid.failureLimit(), valid.inconclusiveLimit(), valid.consecutiveErrorLimit(), valid.dryRun(), stored);
        GateEnvironment env = new GateEnvironment(Map.of("PROM_TOKEN", "s3cret"), dir, HttpClient.newHttpClient(), Clock.fixed(NOW, ZoneOffset.UTC));
        // the judge re-validates stored settings when it opens: refused, naming the field, never the secret
        assertThatThrownBy(() -> GateKinds.find("judge").orElseThrow().open(spec, env))
                .hasMessageContaining("source.url: must not carry a secret").hasMessageNotContaining("hunter2");
    }

    @Test
    void refusedConnectionIsAnError() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (GateProbe probe = open(prometheusGate(port))) {
            assertThat(probe.measure(ctx(List.of())).outcome()).isEqualTo(Outcome.ERROR);
        }
    }

    @Test
    void httpJsonSourceReadsBothSeries() throws Exception {
        int port = serve();
        answer = q -> new Object[] {200, "{\"data\":{\"new\":[1,2,3,4,5,6,null],\"old\":[[1,\"1\"],[2,\"2\"],[3,\"3\"],[4,\"4\"],[5,\"5\"],[6,\"6\"]]}}"};
        String gate = """
                kind: judge
                metrics:
                  - name: errors
                    source: {kind: http, url: "http://127.0.0.1:%d/compare?v={{version}}", canary: /data/new, baseline: /data/old}
                """.formatted(port);
        try (GateProbe probe = open(gate)) {
            Measurement m = probe.measure(ctx(List.of()));
            assertThat(m.outcome()).isEqualTo(Outcome.PASS);
            assertThat(m.summary()).contains("6 vs 6 values", "canary 1 NaN removed");
        }
        assertThat(queries.get(0).get("v")).isEqualTo("2.0.0\"}or vector(1)");
    }

    @Test
    void fileSourceReadsJsonLines() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sb.append("{\"metric\":\"p99-latency\",\"group\":\"baseline\",\"value\":").append(0.1 + i * 0.001).append("}\n");
            sb.append("{\"metric\":\"p99-latency\",\"group\":\"canary\",\"value\":").append(0.3 + i * 0.001).append("}\n");
            sb.append("{\"metric\":\"other\",\"group\":\"canary\",\"value\":1}\n");
        }
        Files.writeString(dir.resolve("samples.jsonl"), sb);
        String gate = """
                kind: judge
                metrics:
                  - {name: p99-latency, source: {kind: file, path: samples.jsonl}, direction: increase}
                """;
        try (GateProbe probe = open(gate)) {
            Measurement m = probe.measure(ctx(List.of()));
            assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(m.summary()).contains("score 0 (0 of 1 metrics passed) < marginal 75", "20 vs 20 values", "exact");
        }
    }

    @Test
    void brokenFileLineIsAnErrorNamingTheLine() throws Exception {
        Files.writeString(dir.resolve("samples.jsonl"), "{\"metric\":\"m\",\"group\":\"canary\",\"value\":1}\nnot json\n");
        try (GateProbe probe = open("kind: judge\nmetrics: [{name: m, source: {kind: file, path: samples.jsonl}}]\n")) {
            Measurement m = probe.measure(ctx(List.of()));
            assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(m.summary()).contains("samples.jsonl line 2 is not JSON");
        }
    }

    @Test
    void openMetricsSourceBuildsASeriesAcrossMeasurements() throws Exception {
        int port = serve();
        int[] scrape = {0};
        answer = q -> {
            scrape[0]++;
            return new Object[] {200, "# TYPE latency gauge\nlatency{version=\"canary\"} " + (0.5 + scrape[0] * 0.001)
                    + "\nlatency{version=\"stable\"} " + (0.2 + scrape[0] * 0.001) + "\n"};
        };
        String gate = """
                kind: judge
                metrics:
                  - {name: latency, direction: increase, minSamples: 6,
                     source: {kind: openmetrics, url: "http://127.0.0.1:%d/metrics", canary: 'latency{version="canary"}', baseline: 'latency{version="stable"}'}}
                """.formatted(port);
        List<Measurement> taken = new ArrayList<>();
        try (GateProbe probe = open(gate)) {
            for (int i = 0; i < 6; i++) taken.add(probe.measure(ctx(taken)));
        }
        assertThat(taken.subList(0, 5)).allMatch(m -> m.outcome() == Outcome.INCONCLUSIVE);
        assertThat(taken.get(5).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(taken.get(5).summary()).contains("6 vs 6 values");
    }

    @Test
    void invalidJudgeGateReportsEveryProblemWithItsPath() {
        String gate = """
                kind: judge
                pass: 120
                marginal: 80
                metrics:
                  - name: a
                    source: {kind: prometheus, url: ftp://x, canary: 'q{v="{{versoin}}"}'}
                    direction: up
                    allowedIncrease: 0.5
                    wieght: 2
                  - name: a
                    source: {kind: nosuch}
                """;
        assertThatThrownBy(() -> plan(gate)).isInstanceOfSatisfying(InvalidPlanException.class, e -> {
            List<String> p = e.problems().stream().map(Problem::toString).toList();
            assertThat(String.join("\n", p)).contains(
                    "gates.latency-judge.pass: must be a score from 0 to 100",
                    "gates.latency-judge.metrics[0].source.url: must start with http:// or https://",
                    "gates.latency-judge.metrics[0].source.baseline: is required",
                    "unknown placeholder {{versoin}}",
                    "gates.latency-judge.metrics[0].direction: must be one of increase, decrease, either",
                    "gates.latency-judge.metrics[0].allowedIncrease: is a ratio of means and must be at least 1",
                    "gates.latency-judge.metrics[0].wieght: unknown field 'wieght' (did you mean 'weight'?)",
                    "gates.latency-judge.metrics[1].name: duplicate metric name 'a'",
                    "gates.latency-judge.metrics[1].source.kind: must be one of prometheus, http, file, openmetrics");
        });
    }

    @Test
    void judgeGateWithoutMetricsIsRefused() {
        assertThatThrownBy(() -> plan("kind: judge\n")).isInstanceOfSatisfying(InvalidPlanException.class,
                e -> assertThat(e.problems().toString()).contains("metrics: is required"));
    }

    @Test
    void slowBackendTimesOutAsAnError() throws Exception {
        int port = serve();
        answer = q -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Object[] {200, matrix()};
        };
        String gate = prometheusGate(port).replace("step: 10s,", "step: 10s, timeout: 300ms,");
        long t0 = System.nanoTime();
        try (GateProbe probe = open(gate)) {
            Measurement m = probe.measure(ctx(List.of()));
            assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(m.summary()).contains("within 300 ms");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }
}
