package io.stagedrollout.core.judge.sequential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Counters summed over several processes, one of which restarts: each series' interval is taken on its own, as
 * Prometheus' {@code increase()} does, so a restarted process's series counts from zero instead of hiding its errors.
 */
class SequentialCounterResetTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private CounterServer server;

    @BeforeEach
    void start() throws Exception {
        server = new CounterServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private GateProbe probe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alpha", 0.01);
        m.put("minEffect", "1.5x");
        m.put("endpoint", server.url());
        m.put("window", "10ms");
        m.put("canary", Map.of("requests", "http_requests_total{version=\"canary\"}",
                "errors", "http_requests_total{version=\"canary\",code=\"503\"}"));
        m.put("baseline", Map.of("requests", "http_requests_total{version=\"stable\"}",
                "errors", "http_requests_total{version=\"stable\",code=\"503\"}"));
        GateSpec spec = new GateSpec("errors-vs-baseline", "sequential", Duration.ofSeconds(30), null, Duration.ZERO, 0, 0, 4, false, m);
        GateEnvironment ge = new GateEnvironment(Map.of(), Path.of("."), HttpClient.newHttpClient(), Clock.fixed(NOW, ZoneOffset.UTC));
        return GateKinds.find("sequential").orElseThrow().open(spec, ge);
    }

    private static Measurement measure(GateProbe p, Measurement previous) throws InterruptedException {
        return p.measure(new MeasureContext(Map.of("ROLLOUT_VERSION", "2.0"), NOW.minusSeconds(60), NOW,
                previous == null ? List.of() : List.of(previous)));
    }

    /** The measurement as the journal gives it back to a new process: through JSON. */
    private static Measurement throughJournal(Measurement m) throws Exception {
        Map<String, Object> data = JSON.readValue(JSON.writeValueAsString(m.data()), new TypeReference<Map<String, Object>>() {});
        return new Measurement(m.gate(), m.at(), m.outcome(), m.value(), m.summary(), data);
    }

    /** One process's two series (200s and 503s) of one version. */
    private static String pod(String version, String pod, long requests, long errors) {
        return "http_requests_total{version=\"" + version + "\",pod=\"" + pod + "\",code=\"200\"} " + (requests - errors) + "\n"
                + "http_requests_total{version=\"" + version + "\",pod=\"" + pod + "\",code=\"503\"} " + errors + "\n";
    }

    private static String exposition(String... pods) {
        return "# TYPE http_requests counter\n" + String.join("", pods) + "# EOF\n";
    }

    private static String lastInterval(Measurement m) {
        String[] all = ((String) m.data().get("intervals")).split(",");
        return all[all.length - 1];
    }

    @Test
    void aRestartedCanarySeriesHasItsErrorsCountedEvenWhileTheSummedCounterStillGrows() throws Exception {
        server.exposition = exposition(pod("canary", "a", 10_000, 100), pod("canary", "b", 10_000, 800),
                pod("stable", "s", 100_000, 1000));
        Measurement before = measure(probe(), null);
        // a served 20000 (200 errors); b crashed, restarted and served 2000 (600 errors): the summed requests grow
        // (20000 -> 32000) and the summed errors stay at 900, so sums alone would see no canary error at all
        server.exposition = exposition(pod("canary", "a", 30_000, 300), pod("canary", "b", 2_000, 600),
                pod("stable", "s", 110_000, 1100));
        Measurement after = measure(probe(), throughJournal(before)); // another process, from the journal

        assertThat(lastInterval(after)).isEqualTo("22000 800 10000 100");
        assertThat(after.summary()).contains("2 series restarted; counted from zero");
        assertThat(after.outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void aSeriesThatDisappearsAddsNothingAndTheOthersStillCount() throws Exception {
        server.exposition = exposition(pod("canary", "a", 10_000, 100), pod("canary", "b", 10_000, 100),
                pod("stable", "s", 100_000, 1000));
        GateProbe p = probe();
        Measurement before = measure(p, null);
        server.exposition = exposition(pod("canary", "a", 11_000, 110), pod("stable", "s", 110_000, 1100));
        Measurement after = measure(p, before);

        assertThat(after.outcome()).isEqualTo(Outcome.PASS);
        assertThat(lastInterval(after)).isEqualTo("1000 10 10000 100");
        assertThat(after.summary()).contains("2 series disappeared").doesNotContain("restarted");
    }

    @Test
    void aNewSeriesCountsFromZero() throws Exception {
        server.exposition = exposition(pod("canary", "a", 10_000, 100), pod("stable", "s", 100_000, 1000));
        GateProbe p = probe();
        Measurement before = measure(p, null);
        server.exposition = exposition(pod("canary", "a", 11_000, 110), pod("canary", "c", 500, 5),
                pod("stable", "s", 110_000, 1100));
        Measurement after = measure(p, before);

        assertThat(lastInterval(after)).isEqualTo("1500 15 10000 100");
        assertThat(after.summary()).doesNotContain("restarted").doesNotContain("disappeared");
    }

    @Test
    void anOlderMeasurementWithoutPerSeriesValuesFallsBackToTheSumsAndKeepsSeriesFromThenOn() throws Exception {
        server.exposition = exposition(pod("canary", "a", 10_000, 100), pod("canary", "b", 10_000, 800),
                pod("stable", "s", 100_000, 1000));
        GateProbe p = probe();
        Measurement current = measure(p, null);
        Map<String, Object> older = new LinkedHashMap<>(current.data());
        older.remove("series"); // what the gate wrote before it kept series
        Measurement old = new Measurement(current.gate(), current.at(), current.outcome(), current.value(), current.summary(), older);
        server.exposition = exposition(pod("canary", "a", 30_000, 300), pod("canary", "b", 2_000, 600),
                pod("stable", "s", 110_000, 1100));
        Measurement after = measure(p, old);

        assertThat(lastInterval(after)).isEqualTo("12000 0 10000 100"); // the sums' deltas, as before
        assertThat(after.data()).containsKey("series");
    }

    @Test
    void moreThan1000SeriesForOneCounterIsAnErrorThatKeepsTheHistory() throws Exception {
        server.exposition = exposition(pod("canary", "a", 10_000, 100), pod("stable", "s", 100_000, 1000));
        GateProbe p = probe();
        Measurement ok = measure(p, null);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 501; i++) many.append(pod("canary", "p" + i, 100, 1)); // 1002 canary request series
        server.exposition = exposition(many.toString(), pod("stable", "s", 110_000, 1100));
        Measurement tooMany = measure(p, ok);

        assertThat(tooMany.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(tooMany.summary()).contains("1002 series match http_requests_total{version=\"canary\"}")
                .contains("more than the 1000");
        assertThat(tooMany.data()).containsEntry("intervals", ok.data().get("intervals"))
                .containsEntry("series", ok.data().get("series"));
    }
}
