package io.stagedrollout.core.judge.sequential;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.GateKinds;
import io.stagedrollout.core.gate.GateProbe;
import io.stagedrollout.core.gate.MeasureContext;
import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.Outcome;
import io.stagedrollout.core.plan.GateSpec;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gate against a real local OpenMetrics endpoint. */
class SequentialGateTest {
    private CounterServer server;
    private final Map<String, String> env = new LinkedHashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = new CounterServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alpha", 0.01);
        m.put("minEffect", "1.5x");
        m.put("endpoint", server.url());
        m.put("window", "50ms");
        m.put("canary", Map.of("requests", "http_requests_total{version=\"canary\"}",
                "errors", "http_requests_total{version=\"canary\",code=~\"5..\"}"));
        m.put("baseline", Map.of("requests", "http_requests_total{version=\"stable\"}",
                "errors", "http_requests_total{version=\"stable\",code=~\"5..\"}"));
        return m;
    }

    private GateProbe probe(Map<String, Object> settings) {
        GateSpec spec = new GateSpec("errors-vs-baseline", "sequential", Duration.ofSeconds(30), null, Duration.ZERO, 0, 0, 4, false, settings);
        GateEnvironment ge = new GateEnvironment(env, Path.of("."), HttpClient.newHttpClient(), Clock.systemUTC());
        return GateKinds.find("sequential").orElseThrow().open(spec, ge);
    }

    private static Measurement measure(GateProbe p, Measurement previous) throws InterruptedException {
        return p.measure(new MeasureContext(Map.of("ROLLOUT_VERSION", "2.0"), Instant.now().minusSeconds(60), Instant.now(),
                previous == null ? List.of() : List.of(previous)));
    }

    @Test
    void isRegisteredAsAGateKind() {
        assertThat(GateKinds.names()).contains("sequential");
    }

    @Test
    void firstMeasurementScrapesTwiceAWindowApartAndPassesAHealthyCanary() throws Exception {
        server.set(0, 0, 50_000, 500);
        server.perScrape = new long[] {100, 1, 900, 9};
        Measurement m = measure(probe(settings()), null);
        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(m.data()).containsEntry("intervals", "100 1 900 9").containsEntry("canaryRequests", 200.0);
        assertThat(m.value()).isEqualTo(m.data().get("pValue"));
        assertThat(m.summary()).contains("always-valid p").contains("> alpha 0.01").contains("no regression so far");
    }

    @Test
    void withEarlyPassAHealthyCanarySettlesTheGateOnceA15xRegressionIsRuledOut() throws Exception {
        Map<String, Object> settings = settings();
        settings.put("earlyPass", true);
        GateProbe p = probe(settings);
        server.perScrape = new long[] {2000, 20, 18000, 180}; // both at 1%
        Measurement m = null;
        int measurements = 0;
        do {
            m = measure(p, m);
            measurements++;
            assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        } while (!Boolean.TRUE.equals(m.data().get(io.stagedrollout.core.gate.GateRules.SETTLES_GATE)) && measurements < 30);
        assertThat(m.data()).containsEntry(io.stagedrollout.core.gate.GateRules.SETTLES_GATE, true)
                .containsEntry("regressionRuledOut", true);
        assertThat(m.summary()).contains("1.5x regression is ruled out", "earlyPass: the gate has passed");
        assertThat(measurements).isLessThan(30);
    }

    @Test
    void withoutEarlyPassARuledOutRegressionDoesNotSettleTheGate() throws Exception {
        GateProbe p = probe(settings());
        server.perScrape = new long[] {20000, 200, 180000, 1800};
        Measurement m = null;
        for (int i = 0; i < 3; i++) m = measure(p, m);
        assertThat(m.data()).containsEntry("regressionRuledOut", true).doesNotContainKey(io.stagedrollout.core.gate.GateRules.SETTLES_GATE);
    }

    @Test
    void regressingCanaryFailsTheMomentTheBoundaryIsCrossed() throws Exception {
        server.perScrape = new long[] {0, 0, 0, 0};
        GateProbe p = probe(settings());
        server.set(0, 0, 10_000, 100);
        server.perScrape = new long[] {200, 8, 1800, 18}; // canary errs at 4%, baseline at 1%
        Measurement m = null;
        int measurements = 0;
        do {
            Measurement before = m;
            m = measure(p, m);
            measurements++;
            if (m.outcome() != Outcome.FAIL) assertThat(m.outcome()).isEqualTo(Outcome.PASS);
            else if (before != null) assertThat((double) before.data().get("pValue")).isGreaterThan(0.01);
        } while (m.outcome() != Outcome.FAIL && measurements < 20);
        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(measurements).isBetween(2, 6);
        assertThat((double) m.value()).isLessThanOrEqualTo(0.01);
        assertThat(m.summary()).contains("<= alpha 0.01").contains("regression (increase)").contains("canary 4% (");
        assertThat(m.data()).containsEntry("regressionDetected", true).containsKeys("ratio", "ratioLow", "ratioHigh");
    }

    @Test
    void aRestartedProcessRebuildsTheSameTestFromTheLastMeasurement() throws Exception {
        server.perScrape = new long[] {150, 3, 1850, 20};
        GateProbe first = probe(settings());
        Measurement m = null;
        for (int i = 0; i < 3; i++) m = measure(first, m);
        server.perScrape = new long[] {0, 0, 0, 0};
        server.add(150, 4, 1850, 19);
        Measurement continued = measure(first, m);
        Measurement restarted = measure(probe(settings()), m); // a new process: a new probe, the stored measurement
        assertThat(restarted.outcome()).isEqualTo(continued.outcome());
        assertThat(restarted.value()).isEqualTo(continued.value());
        assertThat(restarted.data().get("intervals")).isEqualTo(continued.data().get("intervals"));
        assertThat(((String) restarted.data().get("intervals")).split(",")).hasSize(4);
    }

    @Test
    void anUnreachableEndpointIsAnErrorThatKeepsTheHistory() throws Exception {
        server.perScrape = new long[] {100, 1, 900, 9};
        GateProbe p = probe(settings());
        Measurement ok = measure(p, null);
        server.status = 503;
        Measurement error = measure(p, ok);
        assertThat(error.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(error.summary()).contains("answered HTTP 503").contains("keeps its 1 intervals");
        assertThat(error.data()).containsEntry("intervals", ok.data().get("intervals"))
                .containsEntry("canaryRequests", ok.data().get("canaryRequests"));
        server.status = 200;
        Measurement again = measure(p, error);
        assertThat(again.outcome()).isEqualTo(Outcome.PASS);
        assertThat(((String) again.data().get("intervals")).split(",")).hasSize(2);
    }

    @Test
    void aSummedCounterThatWentDownInAnOlderMeasurementWithoutSeriesSkipsOnlyThatInterval() throws Exception {
        server.set(1000, 10, 9000, 90);
        server.perScrape = new long[] {100, 1, 900, 9};
        GateProbe p = probe(settings());
        Measurement measured = measure(p, null);
        Map<String, Object> sumsOnly = new LinkedHashMap<>(measured.data());
        sumsOnly.remove("series"); // kept by a version of the gate that took deltas of the sums only
        Measurement ok = new Measurement(measured.gate(), measured.at(), measured.outcome(), measured.value(), measured.summary(), sumsOnly);
        server.set(50, 0, 9000, 90); // the canary restarted
        Measurement reset = measure(p, ok);
        assertThat(reset.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(reset.summary()).contains("canary requests counter went down").contains("skipped");
        Measurement next = measure(p, reset);
        assertThat(next.outcome()).isEqualTo(Outcome.PASS);
        assertThat(next.data().get("intervals")).isEqualTo("100 1 900 9,100 1 900 9");
    }

    @Test
    void aRestartedCanaryCountsFromZeroInsteadOfSkippingTheInterval() throws Exception {
        server.set(1000, 10, 9000, 90);
        server.perScrape = new long[] {100, 1, 900, 9};
        GateProbe p = probe(settings());
        Measurement ok = measure(p, null);
        server.set(50, 0, 10_800, 108); // the canary restarted: both its series start again from zero
        Measurement reset = measure(p, ok);
        assertThat(reset.outcome()).isEqualTo(Outcome.PASS);
        assertThat(reset.summary()).contains("2 series restarted; counted from zero");
        assertThat(reset.data().get("intervals")).isEqualTo("100 1 900 9,150 1 900 9");
    }

    @Test
    void aMissingRequestsSeriesIsAnErrorButAMissingErrorsSeriesMeansNoErrorsYet() throws Exception {
        server.withErrorSeries = false;
        server.perScrape = new long[] {100, 0, 900, 0};
        GateProbe p = probe(settings());
        Measurement m = measure(p, null);
        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(m.data()).containsEntry("intervals", "100 0 900 0");

        Map<String, Object> s = settings();
        s.put("canary", Map.of("requests", "http_requests_total{version=\"canry\"}", "errors", "http_requests_total{version=\"canry\",code=~\"5..\"}"));
        Measurement missing = measure(probe(s), null);
        assertThat(missing.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(missing.summary()).contains("no series matching http_requests_total{version=\"canry\"}");
    }

    @Test
    void aCanaryWithoutTrafficIsInconclusiveNeverAPass() throws Exception {
        server.perScrape = new long[] {0, 0, 900, 9};
        Measurement m = measure(probe(settings()), null);
        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.summary()).contains("the canary served 0 requests");
    }

    @Test
    void theTokenComesFromTheEnvironmentAndNeverReachesTheMeasurement() throws Exception {
        Map<String, Object> s = settings();
        s.put("tokenEnv", "METRICS_TOKEN");
        server.perScrape = new long[] {100, 1, 900, 9};
        Measurement unset = measure(probe(s), null);
        assertThat(unset.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(unset.summary()).contains("METRICS_TOKEN").contains("not set");
        env.put("METRICS_TOKEN", "s3cr3t-value");
        Measurement m = measure(probe(s), null);
        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(server.lastAuthorization).isEqualTo("Bearer s3cr3t-value");
        assertThat(m.summary() + m.data()).doesNotContain("s3cr3t-value");
    }
}
