package io.stagedrollout.core.gate.kind;

import static io.stagedrollout.core.gate.kind.PrometheusGateProbes.measure;
import static io.stagedrollout.core.gate.kind.PrometheusGateProbes.open;
import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.gate.GateProbe;
import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.Outcome;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.testing.prometheus.PrometheusServer;
import io.stagedrollout.core.testing.prometheus.RequestCountingExporter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate against a real Prometheus server (the Debian package's binary) scraping an exporter every second:
 * stable 1.0.0 fails 0.1% of requests, a healthy canary 0.2%, a bad canary 5%. Skipped, saying why, where the
 * binary is absent; {@code .ci/run} installs it.
 */
class PrometheusGateAgainstPrometheusTest {
    private static final String ODD_VERSION = "2.0.0-\"quoted\"\\path";
    private static RequestCountingExporter exporter;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> binary = PrometheusServer.binary();
        if (binary.isEmpty()) {
            // surefire counts a skipped class as 0 tests; say why where people look
            System.err.println("SKIPPED " + PrometheusGateAgainstPrometheusTest.class.getSimpleName() + ": " + PrometheusServer.whyAbsent());
        }
        Assumptions.assumeTrue(binary.isPresent(), PrometheusServer::whyAbsent);
        exporter = new RequestCountingExporter("checkout")
                .version("1.0.0", 0.001)
                .version("2.0.0-good", 0.002)
                .version("2.0.0-bad", 0.05)
                .version(ODD_VERSION, 0.002);
        prometheus = PrometheusServer.start(binary.get(), List.of(exporter.target()));
        // a rate needs two scrapes of the same series
        prometheus.awaitQuery("count(rate(http_requests_total[10s]) > 0)",
                a -> a.at("/data/result/0/value/1").asText("").equals("4"), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (prometheus != null) prometheus.close();
        if (exporter != null) exporter.close();
    }

    private static GateProbe errorRatioGate(String query) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("address", prometheus.address().toString());
        s.put("query", query);
        s.put("label", "error ratio");
        s.put("max", 0.01);
        s.put("marginal", 0.001);
        s.put("timeout", "5s");
        return open(s, Map.of());
    }

    private static final String BARE = """
            sum(rate(http_requests_errors_total{service={{service}}, version={{version}}}[10s]))
              / sum(rate(http_requests_total{service={{service}}, version={{version}}}[10s]))""";
    private static final String QUOTED = """
            sum(rate(http_requests_errors_total{service="{{service}}", version="{{version}}"}[10s]))
              / sum(rate(http_requests_total{service="{{service}}", version="{{version}}"}[10s]))""";

    @Test
    void healthyCanaryPasses() throws InterruptedException {
        Measurement m = measure(errorRatioGate(BARE), "2.0.0-good");
        assertThat(m.outcome()).as(m.summary()).isEqualTo(Outcome.PASS);
        assertThat(m.value()).isCloseTo(0.002, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.summary()).startsWith("error ratio 0.002 <= max 0.01 (query sum(rate(");
    }

    @Test
    void errorRateRegressionFails() throws InterruptedException {
        Measurement m = measure(errorRatioGate(QUOTED), "2.0.0-bad");
        assertThat(m.outcome()).as(m.summary()).isEqualTo(Outcome.FAIL);
        assertThat(m.summary()).startsWith("error ratio 0.05 > max 0.01");
    }

    @Test
    void versionWithoutTrafficIsInconclusive() throws InterruptedException {
        Measurement m = measure(errorRatioGate(BARE), "3.0.0");
        assertThat(m.outcome()).as(m.summary()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.summary()).startsWith("no data");
    }

    @Test
    void versionWithQuotesAndBackslashesMatchesItsOwnSeries() throws InterruptedException {
        // only a correctly escaped literal matches the label value Prometheus stored
        assertThat(measure(errorRatioGate(BARE), ODD_VERSION).outcome()).isEqualTo(Outcome.PASS);
        assertThat(measure(errorRatioGate(QUOTED), ODD_VERSION).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void versionCraftedToRewriteTheQueryStaysAString() throws InterruptedException {
        // unescaped, this would turn the ratio into "… or vector(0)" and pass; escaped it matches no series
        String crafted = "3.0.0\"}[10s])) * 0 or vector(0) or sum(rate(http_requests_total{version=\"x";
        Measurement m = measure(errorRatioGate(QUOTED), crafted);
        assertThat(m.outcome()).as(m.summary()).isEqualTo(Outcome.INCONCLUSIVE);
    }

    @Test
    void queryWithoutAggregationIsAnErrorNotAPass() throws InterruptedException {
        Measurement m = measure(errorRatioGate("rate(http_requests_errors_total[10s]) / rate(http_requests_total[10s])"), "x");
        assertThat(m.outcome()).as(m.summary()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("4 series where one number is expected");
    }

    @Test
    void invalidPromQlIsAnErrorWithTheParserMessage() throws InterruptedException {
        Measurement m = measure(errorRatioGate("sum(rate(http_requests_total[10s])"), "x");
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("query rejected (HTTP 400, bad_data)");
    }

    @Test
    void zeroOverZeroIsNaNAndAnError() throws InterruptedException {
        Measurement m = measure(errorRatioGate("sum(rate(http_requests_errors_total{version=\"1.0.0\"}[10s])) * 0 / 0"), "x");
        assertThat(m.outcome()).as(m.summary()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("NaN");
    }

    @Test
    void rolloutGatedOnPrometheusCompletesAGoodVersionAndRollsBackABadOne(@TempDir Path dir) throws Exception {
        RolloutPlan plan = PlanReader.parse("""
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%%, bake: 2s, gates: [error-rate]}
                  - {name: everyone, exposure: 100%%, bake: 0s}
                gates:
                  error-rate:
                    kind: prometheus
                    address: %s
                    query: >-
                      sum(rate(http_requests_errors_total{version={{version}}}[10s]))
                      / sum(rate(http_requests_total{version={{version}}}[10s]))
                    label: error ratio
                    max: 0.01
                    interval: 1s
                actions:
                  deploy: {kind: command, command: ["true"]}
                  revert: {kind: command, command: ["true"]}
                """.formatted(prometheus.address()));
        RolloutKey key = new RolloutKey("checkout", "production");
        Actor actor = new Actor("tester", "test", null);
        try (FileRolloutStore store = new FileRolloutStore(dir);
                RolloutEngine engine = new RolloutEngine(store, RolloutEngine.Runtime.system(dir), Clock.systemUTC(), EngineListener.NONE)) {
            engine.start(plan, "2.0.0-good", "1.0.0", actor);
            RolloutState good = engine.run(key, true, actor).state();
            assertThat(good.status()).as(good.reason()).isEqualTo(Status.COMPLETED);

            engine.start(plan, "2.0.0-bad", "2.0.0-good", actor);
            RolloutState bad = engine.run(key, true, actor).state();
            assertThat(bad.status()).isEqualTo(Status.ROLLED_BACK);
            assertThat(bad.ringName()).isEqualTo("canary");
            assertThat(bad.reason()).contains("error ratio 0.05 > max 0.01");
        }
    }
}
