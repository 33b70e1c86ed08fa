package io.stagedrollout.core.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.GateKinds;
import io.stagedrollout.core.gate.GateProbe;
import io.stagedrollout.core.gate.MeasureContext;
import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.Outcome;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.RolloutPlan;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prometheus source against a real Prometheus server (Debian package {@code prometheus}) reading series
 * backfilled with {@code promtool}: 30 minutes of a p99 latency gauge per version, ending three hours ago.
 */
class PrometheusRangeSourceTest {
    static final Instant END = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
    @TempDir static Path dir;
    static Process prometheus;
    static int port;

    static Path binary(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    @BeforeAll
    static void startPrometheus() throws Exception {
        Path server = binary("prometheus");
        Path promtool = binary("promtool");
        assumeTrue(server != null && promtool != null,
                "SKIPPED: prometheus and promtool are not installed (apt-get install -y prometheus); .ci/run installs them");
        StringBuilder om = new StringBuilder("# HELP p99_latency_seconds p99 latency\n# TYPE p99_latency_seconds gauge\n");
        Random rnd = new Random(5);
        for (String[] v : new String[][] {{"1.9.0", "0.200"}, {"2.1.0", "0.200"}, {"2.2.0", "0.300"}}) {
            for (long t = END.getEpochSecond() - 1800; t <= END.getEpochSecond(); t += 10) {
                om.append(String.format(Locale.ROOT, "p99_latency_seconds{service=\"checkout\",version=\"%s\"} %.5f %d%n",
                        v[0], Double.parseDouble(v[1]) + rnd.nextGaussian() * 0.01, t));
            }
        }
        om.append("# EOF\n");
        Path input = dir.resolve("input.om");
        Path data = dir.resolve("data");
        Files.writeString(input, om);
        run(List.of(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics", input.toString(), data.toString()));
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global: {scrape_interval: 1m}\nscrape_configs: []\n");
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        prometheus = new ProcessBuilder(server.toString(), "--config.file=" + config, "--storage.tsdb.path=" + data,
                "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.retention.time=30d")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) break;
            } catch (IOException notYet) {
                // starting
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("prometheus did not start: " + Files.readString(dir.resolve("prometheus.log")));
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopPrometheus() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) prometheus.destroyForcibly();
        }
    }

    static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(command + " failed: " + out);
    }

    Measurement measure(String version) throws Exception {
        RolloutPlan plan = PlanReader.parse("""
                service: checkout
                environment: production
                rings: [{name: canary, exposure: 5%, bake: 5m, gates: [latency-judge]}, {name: all, exposure: 100%, bake: 0s}]
                gates:
                  latency-judge:
                    kind: judge
                    metrics:
                      - name: p99-latency
                        source: {kind: prometheus, url: "http://127.0.0.1:PORT", step: 10s, window: 5m,
                                 canary: 'p99_latency_seconds{service="{{service}}",version="{{version}}"}',
                                 baseline: 'p99_latency_seconds{service="{{service}}",version="{{stableVersion}}"}'}
                        direction: increase
                        allowedIncrease: 1.1
                """.replace("PORT", String.valueOf(port)));
        GateEnvironment env = new GateEnvironment(Map.of(), dir, HttpClient.newHttpClient(), Clock.systemUTC());
        try (GateProbe probe = GateKinds.find("judge").orElseThrow().open(plan.gates().get("latency-judge"), env)) {
            return probe.measure(new MeasureContext(Map.of("ROLLOUT_SERVICE", "checkout", "ROLLOUT_VERSION", version,
                    "ROLLOUT_STABLE_VERSION", "1.9.0"), END.minus(Duration.ofMinutes(5)), END, List.of()));
        }
    }

    @Test
    void healthyCanaryPasses() throws Exception {
        Measurement m = measure("2.1.0");
        assertThat(m.outcome()).as(m.summary()).isEqualTo(Outcome.PASS);
        assertThat(m.summary()).contains("31 vs 31 values");
    }

    @Test
    void slowerCanaryFails() throws Exception {
        Measurement m = measure("2.2.0");
        assertThat(m.outcome()).as(m.summary()).isEqualTo(Outcome.FAIL);
        assertThat(m.summary()).contains("p99-latency HIGH", "31 vs 31 values", "mean ratio 1.5");
    }

    @Test
    void versionWithoutSeriesFailsAsNoData() throws Exception {
        // JUDGE.md: half or more of the metrics without data fail the gate (Kayenta's rule); missing data never passes
        Measurement m = measure("9.9.9");
        assertThat(m.outcome()).as(m.summary()).isEqualTo(Outcome.FAIL);
        assertThat(m.summary()).contains("canary 0 values", "no data");
    }
}
