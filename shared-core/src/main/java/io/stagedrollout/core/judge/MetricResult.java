package io.stagedrollout.core.judge;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One metric's classification with the numbers behind it. Statistics are null when they were not computed
 * (no data, source error).
 *
 * @param criticalFailure the metric alone fails the gate: a critical metric that is HIGH, LOW or without data
 *                        (NODATA), or an effect beyond criticalIncrease / criticalDecrease
 */
public record MetricResult(
        String name,
        MetricClass classification,
        String reason,
        double weight,
        boolean criticalFailure,
        int canaryCount,
        int baselineCount,
        Double canaryMedian,
        Double baselineMedian,
        Double meanRatio,
        Double pValue,
        Double shift,
        Double lower,
        Double upper,
        String method) {

    /** A group without any value; a critical metric's missing data is a critical failure (as in Kayenta). */
    static MetricResult noData(String name, String reason, double weight, boolean critical, int nc, int nb) {
        return new MetricResult(name, MetricClass.NODATA, reason, weight, critical, nc, nb, null, null, null, null, null, null, null, null);
    }

    static MetricResult without(String name, MetricClass c, String reason, double weight, int nc, int nb) {
        return new MetricResult(name, c, reason, weight, false, nc, nb, null, null, null, null, null, null, null, null);
    }

    /** For the measurement's data (and so the journal and reports): plain values only. */
    public Map<String, Object> toData() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", name);
        m.put("classification", classification.name());
        m.put("weight", weight);
        if (criticalFailure) m.put("criticalFailure", true);
        m.put("canaryCount", canaryCount);
        m.put("baselineCount", baselineCount);
        put(m, "canaryMedian", canaryMedian);
        put(m, "baselineMedian", baselineMedian);
        put(m, "meanRatio", meanRatio);
        put(m, "pValue", pValue);
        put(m, "shift", shift);
        put(m, "lower", lower);
        put(m, "upper", upper);
        if (method != null) m.put("method", method);
        m.put("reason", reason);
        return m;
    }

    private static void put(Map<String, Object> m, String k, Double v) {
        // JSON has no NaN or infinity; a ratio against a zero baseline is kept as text
        if (v != null) m.put(k, Double.isFinite(v) ? (Object) v : String.valueOf(v));
    }
}
