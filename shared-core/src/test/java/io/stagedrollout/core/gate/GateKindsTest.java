package io.stagedrollout.core.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.testing.LocalHttpServer;
import io.stagedrollout.core.testing.LocalHttpServer.Answer;
import io.stagedrollout.core.testing.TestRollouts;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The built-in gate kinds against a real HTTP server and real processes. */
class GateKindsTest {
    static final Map<String, String> VARS = Map.of("ROLLOUT_VERSION", "2.0.0", "ROLLOUT_RING", "canary");

    static GateSpec gate(String yaml) {
        RolloutPlan plan = TestRollouts.plan("""
                service: s
                environment: e
                rings: [{name: all, exposure: 100%, gates: [g]}]
                gates:
                  g:\s""" + yaml + "\n");
        return plan.gates().get("g");
    }

    static Measurement measure(GateSpec spec, List<Measurement> previous) throws Exception {
        try (GateProbe p = GateKinds.find(spec.kind()).orElseThrow().open(spec, GateEnvironment.system(Path.of(".")))) {
            return p.measure(new MeasureContext(VARS, Instant.now(), Instant.now(), previous));
        }
    }

    static Measurement measure(GateSpec spec) throws Exception {
        return measure(spec, List.of());
    }

    @Test
    void httpPassesOnTheExpectedStatusAndFailsOnAnother() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        try (LocalHttpServer s = new LocalHttpServer().on("/healthz", () -> new Answer(status.get(), "{}", 0))) {
            GateSpec g = gate("{kind: http, url: \"" + s.url("/healthz") + "\"}");
            assertThat(measure(g).outcome()).isEqualTo(Outcome.PASS);
            status.set(503);
            Measurement m = measure(g);
            assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(m.summary()).contains("answered 503, expected [200]");
        }
    }

    @Test
    void httpChecksAJsonField() throws Exception {
        try (LocalHttpServer s = new LocalHttpServer().on("/h", () -> Answer.ok("{\"status\":\"DOWN\"}"))) {
            Measurement m = measure(gate("{kind: http, url: \"" + s.url("/h") + "\", json: {pointer: /status, equals: UP}}"));
            assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(m.summary()).contains("/status is 'DOWN', expected 'UP'");
        }
    }

    @Test
    void httpThatTimesOutOrIsRefusedIsAnErrorNeverAPass() throws Exception {
        try (LocalHttpServer s = new LocalHttpServer().on("/slow", () -> new Answer(200, "", 2000))) {
            assertThat(measure(gate("{kind: http, url: \"" + s.url("/slow") + "\", timeout: 200ms}")).outcome()).isEqualTo(Outcome.ERROR);
        }
        assertThat(measure(gate("{kind: http, url: \"http://127.0.0.1:9/x\"}")).outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void httpUrlsGetRolloutValuesUrlEncoded() throws Exception {
        try (LocalHttpServer s = new LocalHttpServer().on("/v", () -> Answer.ok("ok"))) {
            measure(gate("{kind: http, url: \"" + s.url("/v") + "?version={{version}}&ring={{ring}}\"}"));
            assertThat(s.requests).singleElement().asString().contains("version=2.0.0&ring=canary");
        }
    }

    @Test
    void commandPassesOnExitZeroAndFailsOtherwise() throws Exception {
        assertThat(measure(gate("{kind: command, command: [\"true\"]}")).outcome()).isEqualTo(Outcome.PASS);
        assertThat(measure(gate("{kind: command, command: [\"false\"]}")).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(measure(gate("{kind: command, command: [sh, -c, \"exit 3\"], inconclusiveExitCodes: [3]}")).outcome())
                .isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(measure(gate("{kind: command, command: [\"/no/such/program\"]}")).outcome()).isEqualTo(Outcome.ERROR);
        assertThat(measure(gate("{kind: command, command: [sleep, \"5\"], timeout: 200ms}")).outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void commandSeesRolloutValuesInItsEnvironment() throws Exception {
        assertThat(measure(gate("{kind: command, command: [sh, -c, 'test \"$ROLLOUT_VERSION\" = 2.0.0']}")).outcome())
                .isEqualTo(Outcome.PASS);
    }

    static String exposition(long errors, long total) {
        return "# TYPE http_requests counter\nhttp_requests_total{version=\"canary\",code=\"200\"} " + (total - errors)
                + "\nhttp_requests_total{version=\"canary\",code=\"500\"} " + errors
                + "\nhttp_requests_total{version=\"stable\",code=\"500\"} 999\n# EOF\n";
    }

    @Test
    void metricsJudgesTheRatioOfCounterIncreasesSinceThePreviousScrape() throws Exception {
        AtomicInteger scrape = new AtomicInteger();
        try (LocalHttpServer s = new LocalHttpServer().on("/metrics", () -> Answer.ok(switch (scrape.getAndIncrement()) {
            case 0 -> exposition(10, 1000);
            case 1 -> exposition(12, 1200);   // 2 errors in 200 requests: 0.01
            default -> exposition(52, 1400);  // 40 errors in 200 requests: 0.2
        }))) {
            GateSpec g = gate("{kind: metrics, endpoint: \"" + s.url("/metrics") + "\", errors: 'http_requests_total{version=\"canary\",code=~\"5..\"}', "
                    + "total: 'http_requests{version=\"canary\"}', max: 0.05, window: 100ms}");
            Measurement first = measure(g);
            assertThat(first.outcome()).isEqualTo(Outcome.PASS);
            assertThat(first.value()).isEqualTo(0.01);
            Measurement second = measure(g, List.of(first));
            assertThat(second.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(second.summary()).isEqualTo("error ratio 0.2 > max 0.05 (40 of 200 requests)");
        }
    }

    @Test
    void metricsWithTooLittleTrafficIsInconclusive() throws Exception {
        try (LocalHttpServer s = new LocalHttpServer().on("/metrics", () -> Answer.ok(exposition(0, 5)))) {
            Measurement m = measure(gate("{kind: metrics, endpoint: \"" + s.url("/metrics") + "\", errors: e_total, "
                    + "total: 'http_requests_total', max: 0.05, window: 50ms}"));
            assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
            assertThat(m.summary()).contains("not enough data");
        }
    }

    @Test
    void metricsWithoutTheSeriesOrWithNaNIsAnError() throws Exception {
        try (LocalHttpServer s = new LocalHttpServer().on("/metrics", () -> Answer.ok("other_total 5\n"))
                .on("/nan", () -> Answer.ok("requests_total NaN\n"))
                .on("/500", () -> new Answer(500, "", 0))) {
            String common = ", errors: errors_total, total: requests_total, max: 0.05, window: 50ms}";
            assertThat(measure(gate("{kind: metrics, endpoint: \"" + s.url("/metrics") + "\"" + common)).summary())
                    .contains("no series matching requests_total");
            assertThat(measure(gate("{kind: metrics, endpoint: \"" + s.url("/nan") + "\"" + common)).outcome()).isEqualTo(Outcome.ERROR);
            assertThat(measure(gate("{kind: metrics, endpoint: \"" + s.url("/500") + "\"" + common)).outcome()).isEqualTo(Outcome.ERROR);
        }
    }

    @Test
    void aCounterResetCountsItsNewValueAsTheIncrease() throws Exception {
        AtomicInteger scrape = new AtomicInteger();
        try (LocalHttpServer s = new LocalHttpServer().on("/metrics", () -> Answer.ok(
                scrape.getAndIncrement() == 0 ? "errors_total 50\nrequests_total 5000\n" : "errors_total 1\nrequests_total 100\n"))) {
            Measurement m = measure(gate("{kind: metrics, endpoint: \"" + s.url("/metrics") + "\", errors: errors_total, "
                    + "total: requests_total, max: 0.05, window: 50ms}"));
            assertThat(m.value()).isEqualTo(0.01);
        }
    }

    @Test
    void aCounterResetOfOnePodIsTakenPerSeriesAsPrometheusIncreaseDoes() throws Exception {
        // pod a restarted: its counters fell from 50,000 requests to 100, all 100 of them failures; pod b went on
        AtomicInteger scrape = new AtomicInteger();
        try (LocalHttpServer s = new LocalHttpServer().on("/metrics", () -> Answer.ok(scrape.getAndIncrement() == 0
                ? "requests_total{pod=\"a\"} 50000\nrequests_total{pod=\"b\"} 50000\nerrors_total{pod=\"a\"} 10\n"
                : "requests_total{pod=\"a\"} 100\nrequests_total{pod=\"b\"} 50100\nerrors_total{pod=\"a\"} 100\n"))) {
            Measurement m = measure(gate("{kind: metrics, endpoint: \"" + s.url("/metrics") + "\", errors: errors_total, "
                    + "total: requests_total, max: 0.01, window: 50ms}"));
            // summed first, the reset hid behind pod b's growth: "0.0018 (90 of 50200)", a PASS
            assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(m.summary()).isEqualTo("error ratio 0.45 > max 0.01 (90 of 200 requests)");
        }
    }

    @Test
    void aLongLabelOnAnUnrelatedMetricDoesNotStopTheGate() throws Exception {
        String body = "build_info{commit=\"" + "c".repeat(1500) + "\"} 1\nerrors_total 0\nrequests_total %d\n";
        AtomicInteger scrape = new AtomicInteger();
        try (LocalHttpServer s = new LocalHttpServer().on("/metrics", () -> Answer.ok(String.format(body, 100 * (1 + scrape.getAndIncrement()))))) {
            Measurement m = measure(gate("{kind: metrics, endpoint: \"" + s.url("/metrics") + "\", errors: errors_total, "
                    + "total: requests_total, max: 0.01, window: 50ms}"));
            assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        }
    }
}
