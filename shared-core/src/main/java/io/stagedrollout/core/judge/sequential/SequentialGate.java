package io.stagedrollout.core.judge.sequential;

import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.GateKind;
import io.stagedrollout.core.gate.GateProbe;
import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.SpecReader;
import java.util.ArrayList;

/**
 * {@code kind: sequential} — canary versus baseline on a rate (errors / requests) with an always-valid test: each
 * interval it reports the always-valid p-value and always-valid bounds for the rate ratio, FAILS the moment the
 * p-value reaches {@code alpha}, and otherwise PASSES, so a good version is falsely rolled back with probability at
 * most {@code alpha} however often the gate looks. See {@link SequentialRateTest} for the statistics.
 * <pre>
 * errors-vs-baseline:
 *   kind: sequential
 *   alpha: 0.01              # false-rollback rate
 *   minEffect: 1.5x          # smallest regression worth catching (ratio of canary to baseline rate)
 *   direction: increase      # increase | decrease | either
 *   interval: 30s
 *   endpoint: http://127.0.0.1:8080/metrics
 *   canary:   {requests: 'http_requests_total{version="canary"}', errors: 'http_requests_total{version="canary",code=~"5.."}'}
 *   baseline: {requests: 'http_requests_total{version="stable"}', errors: 'http_requests_total{version="stable",code=~"5.."}'}
 * </pre>
 */
public final class SequentialGate implements GateKind {
    @Override
    public String kind() {
        return "sequential";
    }

    @Override
    public void validate(SpecReader fields) {
        SequentialSettings.read(fields);
    }

    @Override
    public GateProbe open(GateSpec spec, GateEnvironment env) {
        var problems = new ArrayList<io.stagedrollout.core.plan.Problem>();
        SequentialSettings s = SequentialSettings.read(SpecReader.of(spec.settings(), spec.name(), problems));
        if (!problems.isEmpty()) throw new IllegalArgumentException("gate " + spec.name() + ": " + problems);
        CounterSource source = s.usesPrometheus() ? new PrometheusCounters(s, env) : new OpenMetricsCounters(s, env);
        return new SequentialProbe(spec.name(), s, source, env.clock());
    }
}
