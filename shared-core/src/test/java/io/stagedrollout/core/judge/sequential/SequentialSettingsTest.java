package io.stagedrollout.core.judge.sequential;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.plan.SpecReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SequentialSettingsTest {
    private static Map<String, Object> valid() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoint", "http://127.0.0.1:9/metrics");
        m.put("canary", Map.of("requests", "http_requests_total{version=\"canary\"}",
                "errors", "http_requests_total{version=\"canary\",code=~\"5..\"}"));
        m.put("baseline", Map.of("requests", "http_requests_total{version=\"stable\"}",
                "errors", "http_requests_total{version=\"stable\",code=~\"5..\"}"));
        return m;
    }

    private static List<Problem> problems(Map<String, Object> settings) {
        List<Problem> problems = new ArrayList<>();
        SpecReader r = SpecReader.of(settings, "gates.seq", problems);
        SequentialSettings.read(r);
        r.finish();
        return problems;
    }

    private static SequentialSettings read(Map<String, Object> settings) {
        List<Problem> problems = new ArrayList<>();
        SequentialSettings s = SequentialSettings.read(SpecReader.of(settings, "gates.seq", problems));
        assertThat(problems).isEmpty();
        return s;
    }

    @Test
    void defaultsAreAlphaFivePercentMinEffectOneAndAHalfIncrease() {
        SequentialSettings s = read(valid());
        assertThat(s.alpha()).isEqualTo(0.05);
        assertThat(s.minEffect()).isEqualTo(1.5);
        assertThat(s.direction()).isEqualTo(Direction.INCREASE);
        assertThat(s.usesPrometheus()).isFalse();
        assertThat(s.canaryScrape().endpoint()).isEqualTo("http://127.0.0.1:9/metrics");
    }

    @Test
    void minEffectReadsRatiosAndRelativeIncreases() {
        for (var e : Map.of("2x", 2.0, "1.25X", 1.25, "50%", 1.5, "3", 3.0).entrySet()) {
            Map<String, Object> m = valid();
            m.put("minEffect", e.getKey());
            assertThat(read(m).minEffect()).as(e.getKey()).isEqualTo(e.getValue());
        }
        Map<String, Object> m = valid();
        m.put("minEffect", 1.1);
        assertThat(read(m).minEffect()).isEqualTo(1.1);
    }

    @Test
    void everyBadFieldIsReportedWithItsPath() {
        Map<String, Object> m = valid();
        m.put("alpha", 0.7);
        m.put("minEffect", "0.8x");
        m.put("direction", "up");
        m.put("canary", Map.of("requests", "http_requests_total{version=canary}", "errorz", "x"));
        List<Problem> p = problems(m);
        assertThat(p).extracting(Problem::path).contains("gates.seq.alpha", "gates.seq.minEffect", "gates.seq.direction",
                "gates.seq.canary.requests", "gates.seq.canary.errors", "gates.seq.canary.errorz");
        assertThat(p).filteredOn(x -> x.path().equals("gates.seq.canary.errorz")).first()
                .extracting(Problem::message).asString().contains("unknown field").contains("did you mean 'errors'");
    }

    @Test
    void endpointAndPrometheusExcludeEachOther() {
        Map<String, Object> m = valid();
        m.put("prometheus", "http://127.0.0.1:9090");
        assertThat(problems(m)).extracting(Problem::path).contains("gates.seq.endpoint");
    }

    @Test
    void bothSidesAndAnEndpointAreRequired() {
        Map<String, Object> m = new LinkedHashMap<>(valid());
        m.remove("baseline");
        m.remove("endpoint");
        assertThat(problems(m)).extracting(Problem::path).contains("gates.seq.baseline", "gates.seq.canary.endpoint");
    }

    @Test
    void prometheusTakesQueriesAndNoWindow() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prometheus", "http://127.0.0.1:9090");
        m.put("window", "5s");
        m.put("canary", Map.of("requests", "sum(x{v=\"{{version}}\"})", "errors", "sum(y{v=\"{{version}}\"})"));
        m.put("baseline", Map.of("requests", "sum(x{v=\"{{stableVersion}}\"})", "errors", "sum(y{v=\"{{nope}}\"})"));
        assertThat(problems(m)).extracting(Problem::path).containsExactlyInAnyOrder("gates.seq.window", "gates.seq.baseline.errors");
    }
}
