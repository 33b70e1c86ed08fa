package io.stagedrollout.core.gate.kind;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.GateProbe;
import io.stagedrollout.core.gate.MeasureContext;
import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.plan.SpecReader;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Opens prometheus probes from plan-like settings, as the engine does, for the gate's tests. */
final class PrometheusGateProbes {
    private PrometheusGateProbes() {}

    static GateProbe open(Map<String, Object> settings, Map<String, String> env) {
        List<Problem> problems = new ArrayList<>();
        SpecReader r = SpecReader.of(settings, "gates.error-rate", problems);
        new PrometheusGate().validate(r);
        r.finish();
        assertThat(problems).as("the gate's settings are valid").isEmpty();
        GateSpec spec = new GateSpec("error-rate", "prometheus", Duration.ofSeconds(30), null, Duration.ZERO, 0, 0, 4,
                false, settings);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return new PrometheusGate().open(spec, new GateEnvironment(env, Path.of("."), http, Clock.systemUTC()));
    }

    static Measurement measure(GateProbe probe, String version) throws InterruptedException {
        Map<String, String> vars = Map.of("ROLLOUT_VERSION", version, "ROLLOUT_SERVICE", "checkout",
                "ROLLOUT_ENVIRONMENT", "production", "ROLLOUT_RING", "canary", "ROLLOUT_STABLE_VERSION", "1.0.0");
        return probe.measure(new MeasureContext(vars, Instant.now(), Instant.now(), List.of()));
    }
}
