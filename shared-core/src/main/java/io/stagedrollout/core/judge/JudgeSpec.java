package io.stagedrollout.core.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.plan.SpecReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of a {@code judge} gate.
 *
 * @param pass       a score at or above this passes (0-100)
 * @param marginal   a score below this fails; between marginal and pass is INCONCLUSIVE
 * @param confidence the confidence level of the Hodges-Lehmann interval that decides HIGH / LOW (Kayenta: 0.98)
 * @param tolerance  the interval must clear this fraction of the estimated shift, not just zero (Kayenta: 0.25)
 */
public record JudgeSpec(List<MetricSpec> metrics, double pass, double marginal, double confidence, double tolerance) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public JudgeSpec {
        metrics = List.copyOf(metrics);
    }

    /** Reads and checks every field of a judge gate, reporting problems to {@code r}. */
    @SuppressWarnings("unchecked")
    public static JudgeSpec read(SpecReader r) {
        double pass = r.number("pass").orElse(95.0);
        double marginal = r.number("marginal").orElse(75.0);
        if (pass < 0 || pass > 100) r.problem("pass", "must be a score from 0 to 100, not " + pass);
        if (marginal < 0 || marginal > 100) r.problem("marginal", "must be a score from 0 to 100, not " + marginal);
        else if (marginal > pass) r.problem("marginal", "must not be above pass (" + marginal + " > " + pass + ")");
        double confidence = r.number("confidence").orElse(0.98);
        if (!(confidence >= 0.5 && confidence < 1)) r.problem("confidence", "must be at least 0.5 and below 1, not " + confidence);
        double tolerance = r.number("tolerance").orElse(0.25);
        if (tolerance < 0 || tolerance >= 1) r.problem("tolerance", "must be at least 0 and below 1, not " + tolerance);

        List<MetricSpec> metrics = new ArrayList<>();
        JsonNode list = r.raw("metrics");
        if (list == null || !list.isArray() || list.isEmpty()) {
            r.problem("metrics", "is required: a list of at least one metric (name, source, direction)");
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                String at = "metrics[" + i + "]";
                JsonNode e = list.get(i);
                if (!e.isObject()) {
                    r.problem(at, "must be a mapping with name, source and direction");
                    continue;
                }
                List<Problem> sub = new ArrayList<>();
                MetricSpec m = metric(SpecReader.of(MAPPER.convertValue(e, Map.class), at, sub));
                // nested readers have no line table of their own: hand their problems to the gate's reader
                for (Problem p : sub) r.problem(p.path(), p.message());
                if (m != null && m.name() != null && !names.add(m.name())) {
                    r.problem(at + ".name", "duplicate metric name '" + m.name() + "'");
                }
                if (sub.isEmpty() && m != null) metrics.add(m);
            }
        }
        return new JudgeSpec(metrics, pass, marginal, confidence, tolerance);
    }

    private static MetricSpec metric(SpecReader r) {
        String name = r.requiredString("name");
        SourceSpec source = null;
        if (!r.has("source")) r.problem("source", "is required: {kind: prometheus | http | file | openmetrics, …}");
        else source = SourceSpec.read(r.object("source"), name);
        Direction direction = Direction.valueOf(r.choice("direction", "either", "increase", "decrease", "either")
                .toUpperCase(java.util.Locale.ROOT));
        double allowedIncrease = r.number("allowedIncrease").orElse(1.0);
        double allowedDecrease = r.number("allowedDecrease").orElse(1.0);
        Double criticalIncrease = r.number("criticalIncrease").orElse(null);
        Double criticalDecrease = r.number("criticalDecrease").orElse(null);
        if (allowedIncrease < 1) r.problem("allowedIncrease", "is a ratio of means and must be at least 1 (1.1 allows +10%), not " + allowedIncrease);
        if (allowedDecrease <= 0 || allowedDecrease > 1) r.problem("allowedDecrease", "is a ratio of means from above 0 to 1 (0.9 allows -10%), not " + allowedDecrease);
        if (criticalIncrease != null && criticalIncrease <= allowedIncrease) {
            r.problem("criticalIncrease", "must be above allowedIncrease (" + criticalIncrease + " <= " + allowedIncrease + ")");
        }
        if (criticalDecrease != null && (criticalDecrease >= allowedDecrease || criticalDecrease < 0)) {
            r.problem("criticalDecrease", "must be from 0 to below allowedDecrease (" + criticalDecrease + " vs " + allowedDecrease + ")");
        }
        boolean critical = r.bool("critical", false);
        double weight = r.number("weight").orElse(1.0);
        if (weight <= 0) r.problem("weight", "must be above 0, not " + weight);
        MetricSpec.NanPolicy nan = MetricSpec.NanPolicy.valueOf(r.choice("nan", "remove", "remove", "zero", "error")
                .toUpperCase(java.util.Locale.ROOT));
        MetricSpec.OutlierPolicy outliers = MetricSpec.OutlierPolicy.valueOf(r.choice("outliers", "keep", "keep", "remove")
                .toUpperCase(java.util.Locale.ROOT));
        double factor = r.number("outlierFactor").orElse(3.0);
        if (factor <= 0) r.problem("outlierFactor", "must be above 0, not " + factor);
        int minSamples = r.integer("minSamples", 5, 1, 1_000_000);
        r.finish();
        return new MetricSpec(name, source, direction, allowedIncrease, allowedDecrease, criticalIncrease, criticalDecrease,
                critical, weight, nan, outliers, factor, minSamples);
    }
}
