package io.stagedrollout.core.judge;

import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.GateKind;
import io.stagedrollout.core.gate.GateProbe;
import io.stagedrollout.core.gate.MeasureContext;
import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.plan.SpecReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kind: judge} — compares the canary with the baseline statistically, metric by metric (Mann-Whitney U,
 * Hodges-Lehmann), and scores the result with {@code pass} / {@code marginal} thresholds, the way Kayenta does.
 * Each measurement reads every metric's source afresh and judges the samples it gets; its value is the score
 * (0-100) and its data holds each metric's numbers. See shared-core/JUDGE.md for the plan syntax.
 */
public final class JudgeGate implements GateKind {
    static final String METRICS = "metrics";
    static final String SERIES = "series";

    @Override
    public String kind() {
        return "judge";
    }

    @Override
    public void validate(SpecReader fields) {
        JudgeSpec.read(fields);
    }

    @Override
    public GateProbe open(GateSpec spec, GateEnvironment env) {
        List<Problem> problems = new ArrayList<>();
        JudgeSpec judge = JudgeSpec.read(SpecReader.of(spec.settings(), spec.name(), problems));
        if (!problems.isEmpty()) throw new IllegalArgumentException("invalid judge gate " + spec.name() + ": " + problems);
        List<SampleSource> sources = judge.metrics().stream().map(m -> m.source().open(env)).toList();
        return new Probe(spec.name(), judge, sources, env);
    }

    private record Probe(String gate, JudgeSpec judge, List<SampleSource> sources, GateEnvironment env) implements GateProbe {
        @Override
        public Measurement measure(MeasureContext ctx) throws InterruptedException {
            List<MetricResult> results = new ArrayList<>();
            Map<String, Object> series = new LinkedHashMap<>();
            for (int i = 0; i < judge.metrics().size(); i++) {
                MetricSpec m = judge.metrics().get(i);
                SampleSource source = sources.get(i);
                Samples earlier = source.accumulates() ? earlier(ctx, m.name()) : null;
                try {
                    Samples s = source.fetch(ctx, earlier);
                    if (source.accumulates()) series.put(m.name(), Map.of("canary", list(s.canary()), "baseline", list(s.baseline())));
                    results.add(MetricJudge.classify(m, s, judge.confidence(), judge.tolerance()));
                } catch (SourceException e) {
                    if (earlier != null) series.put(m.name(), Map.of("canary", list(earlier.canary()), "baseline", list(earlier.baseline())));
                    results.add(MetricResult.without(m.name(), MetricClass.ERROR, m.name() + ": " + source.describe()
                            + ": " + e.getMessage(), m.weight(), 0, 0));
                }
            }
            CanaryJudge.Result r = CanaryJudge.score(results, judge.pass(), judge.marginal());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("score", r.score());
            data.put("pass", judge.pass());
            data.put("marginal", judge.marginal());
            data.put(METRICS, results.stream().map(MetricResult::toData).toList());
            if (!series.isEmpty()) data.put(SERIES, series);
            return new Measurement(gate, ctx.now(), r.outcome(), r.score(), r.reason(), data);
        }

        /** The series an accumulating source built at this ring's previous measurements (kept in the journal). */
        private static Samples earlier(MeasureContext ctx, String metric) {
            List<Measurement> prev = ctx.previous();
            for (int i = prev.size() - 1; i >= 0; i--) {
                if (prev.get(i).data().get(SERIES) instanceof Map<?, ?> all && all.get(metric) instanceof Map<?, ?> s) {
                    return new Samples(array(s.get("canary")), array(s.get("baseline")), "earlier scrapes");
                }
            }
            return null;
        }

        private static double[] array(Object o) {
            if (!(o instanceof List<?> l)) return new double[0];
            double[] out = new double[l.size()];
            for (int i = 0; i < l.size(); i++) {
                Object v = l.get(i);
                out[i] = v instanceof Number n ? n.doubleValue() : Double.NaN; // NaN was stored as text
            }
            return out;
        }

        private static List<Object> list(double[] v) {
            List<Object> out = new ArrayList<>(v.length);
            for (double x : v) out.add(Double.isFinite(x) ? (Object) x : String.valueOf(x));
            return out;
        }
    }
}
