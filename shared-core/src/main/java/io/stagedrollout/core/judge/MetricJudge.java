package io.stagedrollout.core.judge;

import io.stagedrollout.core.gate.GateRules;
import java.util.Arrays;
import java.util.Locale;

/**
 * Classifies one metric, canary against baseline, the way Kayenta's NetflixACAJudge does: clean the values (NaN
 * policy, then optional outlier removal with Kayenta's widened fences per group), test with Mann-Whitney, estimate
 * the shift with Hodges-Lehmann and its interval at {@code confidence}. A change is significant when the interval's
 * lower end lies above {@code tolerance} times the absolute estimate (so the shift is both significant and not a
 * sliver of itself) — or, when the estimate is exactly zero because most pairs of values tie (counts that are
 * mostly zero), when the one-sided test rejects at (1 - confidence) / 2: there the interval is blind and the test is
 * not. The metric is HIGH when the direction allows an increase, the change is a significant increase and the mean
 * ratio canary/baseline exceeds {@code allowedIncrease}; LOW mirrors it. Everything else with enough data is PASS.
 * shared-core/JUDGE.md states the rules and where they differ from Kayenta.
 */
public final class MetricJudge {
    private MetricJudge() {}

    public static MetricResult classify(MetricSpec spec, Samples samples, double confidence, double tolerance) {
        String name = spec.name();
        Cleaned c = clean(samples.canary(), spec);
        Cleaned b = clean(samples.baseline(), spec);
        if (c.error() != null || b.error() != null) {
            return MetricResult.without(name, MetricClass.ERROR, name + ": " + (c.error() != null ? "canary " + c.error()
                    : "baseline " + b.error()) + " (nan: error)", spec.weight(), samples.canary().length, samples.baseline().length);
        }
        String cleaning = c.note("canary") + b.note("baseline");
        double[] cv = c.values();
        double[] bv = b.values();
        if (cv.length == 0 || bv.length == 0) {
            return MetricResult.noData(name, name + ": no data: canary " + cv.length + " values, baseline " + bv.length
                    + cleaning + (spec.critical() ? "; a critical metric without data fails the gate" : ": missing data never passes"),
                    spec.weight(), spec.critical(), cv.length, bv.length);
        }
        if (cv.length < spec.minSamples() || bv.length < spec.minSamples()) {
            return MetricResult.without(name, MetricClass.TOO_FEW, name + ": not enough data yet, canary " + cv.length
                    + " values, baseline " + bv.length + " (minSamples " + spec.minSamples() + ")" + cleaning
                    + ": missing data never passes", spec.weight(), cv.length, bv.length);
        }
        // clean() returns its own copies: sort them once for the medians, the ranks and the pairwise differences
        Arrays.sort(cv);
        Arrays.sort(bv);
        double cMedian = quantile(cv, 0.5);
        double bMedian = quantile(bv, 0.5);
        double ratio = ratio(mean(cv), mean(bv));
        MannWhitney.Result mw = MannWhitney.testSorted(cv, bv, spec.direction().alternative(), MannWhitney.Options.DEFAULT);
        HodgesLehmann.Estimate hl = HodgesLehmann.estimateSorted(cv, bv, confidence, mw.method());
        double bound = tolerance * Math.abs(hl.shift());
        // the tie rule: a zero estimate means most pairs tie, and the interval cannot show any change; ask the test
        boolean blind = hl.shift() == 0.0 && hl.lower() <= 0 && hl.upper() >= 0;
        double level = (1 - confidence) / 2;
        Double pUp = blind ? oneSided(cv, bv, Alternative.GREATER, mw) : null;
        Double pDown = blind ? oneSided(cv, bv, Alternative.LESS, mw) : null;
        boolean sigUp = hl.lower() > bound || (blind && pUp <= level);
        boolean sigDown = hl.upper() < -bound || (blind && pDown <= level);
        boolean up = spec.direction() != Direction.DECREASE && sigUp && ratio > spec.allowedIncrease();
        boolean down = spec.direction() != Direction.INCREASE && sigDown && ratio < spec.allowedDecrease();
        MetricClass cls = up ? MetricClass.HIGH : down ? MetricClass.LOW : MetricClass.PASS;
        boolean criticalEffect = (up && spec.criticalIncrease() != null && ratio >= spec.criticalIncrease())
                || (down && spec.criticalDecrease() != null && ratio <= spec.criticalDecrease());
        boolean criticalFailure = cls != MetricClass.PASS && (spec.critical() || criticalEffect);

        String numbers = "canary median " + n(cMedian) + " vs baseline " + n(bMedian) + " (" + cv.length + " vs "
                + bv.length + " values), shift " + signed(hl.shift()) + " [" + pct(confidence) + " CI " + n(hl.lower())
                + ", " + n(hl.upper()) + "], p=" + p(mw.pValue()) + " (" + mw.method().name().toLowerCase(Locale.ROOT)
                + (mw.ties() ? ", ties" : "") + "), mean ratio " + n(ratio) + cleaning;
        if (blind && (sigUp || sigDown)) {
            numbers += "; most pairs tie (shift 0), so the one-sided test decides: p=" + p(sigUp ? pUp : pDown) + " <= "
                    + p(level) + ", canary non-zero in " + share(cv) + " of values vs baseline " + share(bv);
        }
        String why;
        if (up) {
            why = "HIGH: " + numbers + " > allowedIncrease " + n(spec.allowedIncrease())
                    + (criticalEffect ? " and >= criticalIncrease " + n(spec.criticalIncrease()) : "")
                    + (spec.critical() ? "; the metric is critical" : "");
        } else if (down) {
            why = "LOW: " + numbers + " < allowedDecrease " + n(spec.allowedDecrease())
                    + (criticalEffect ? " and <= criticalDecrease " + n(spec.criticalDecrease()) : "")
                    + (spec.critical() ? "; the metric is critical" : "");
        } else {
            why = "PASS: " + numbers + passReason(spec, sigUp, sigDown);
        }
        return new MetricResult(name, cls, name + " " + why, spec.weight(), criticalFailure, cv.length, bv.length,
                cMedian, bMedian, ratio, mw.pValue(), hl.shift(), hl.lower(), hl.upper(),
                mw.method().name().toLowerCase(Locale.ROOT));
    }

    private static double oneSided(double[] sortedCanary, double[] sortedBaseline, Alternative a, MannWhitney.Result asked) {
        if (asked.alternative() == a) return asked.pValue();
        return MannWhitney.testSorted(sortedCanary, sortedBaseline, a, MannWhitney.Options.DEFAULT).pValue();
    }

    /** The share of values that are not zero, e.g. "36%": the difference in proportions for mostly-zero counts. */
    private static String share(double[] v) {
        int nonZero = 0;
        for (double x : v) if (x != 0) nonZero++;
        return n(Math.round(1000.0 * nonZero / v.length) / 10.0) + "%";
    }

    private static String passReason(MetricSpec spec, boolean sigUp, boolean sigDown) {
        if (sigUp && spec.direction() != Direction.DECREASE) return "; higher, but within allowedIncrease " + n(spec.allowedIncrease());
        if (sigDown && spec.direction() != Direction.INCREASE) return "; lower, but within allowedDecrease " + n(spec.allowedDecrease());
        if (sigUp || sigDown) return "; the change is in the harmless direction (direction " + spec.direction().yamlName() + ")";
        return "; no significant shift";
    }

    record Cleaned(double[] values, int nanHandled, int outliers, String error, MetricSpec.NanPolicy policy) {
        String note(String group) {
            StringBuilder sb = new StringBuilder();
            if (nanHandled > 0) sb.append(", ").append(group).append(' ').append(nanHandled)
                    .append(policy == MetricSpec.NanPolicy.ZERO ? " NaN set to 0" : " NaN removed");
            if (outliers > 0) sb.append(", ").append(group).append(' ').append(outliers).append(" outliers removed");
            return sb.toString();
        }
    }

    static Cleaned clean(double[] raw, MetricSpec spec) {
        double[] v = new double[raw.length];
        int k = 0;
        int nan = 0;
        for (double x : raw) {
            if (Double.isFinite(x)) {
                v[k++] = x;
                continue;
            }
            nan++;
            switch (spec.nan()) {
                case ZERO -> v[k++] = 0;
                case REMOVE -> { }
                case ERROR -> {
                    return new Cleaned(new double[0], nan, 0, "has a value that is not a finite number (" + x + ")", spec.nan());
                }
            }
        }
        v = Arrays.copyOf(v, k);
        int removed = 0;
        if (spec.outliers() == MetricSpec.OutlierPolicy.REMOVE && v.length > 0) {
            double[] s = sorted(v);
            double[] fence = fences(s, spec.outlierFactor());
            double lo = fence[0], hi = fence[1];
            double[] kept = Arrays.stream(v).filter(x -> x >= lo && x <= hi).toArray();
            removed = v.length - kept.length;
            v = kept;
        }
        return new Cleaned(v, nan, removed, null, spec.nan());
    }

    /**
     * Kayenta's outlier fences (its IQR detector with reduced sensitivity): Tukey's Q1 - f*IQR and Q3 + f*IQR,
     * widened to the 1st and 99th percentiles when those lie further out, so no value between the 1st and 99th
     * percentile is ever an outlier. Percentiles by linear interpolation (type 7), as Kayenta computes them.
     */
    static double[] fences(double[] sorted, double factor) {
        double q1 = quantile(sorted, 0.25);
        double q3 = quantile(sorted, 0.75);
        double iqr = q3 - q1;
        return new double[] {Math.min(quantile(sorted, 0.01), q1 - factor * iqr), Math.max(quantile(sorted, 0.99), q3 + factor * iqr)};
    }

    static double[] sorted(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s;
    }

    /** Quantile by linear interpolation between order statistics (Hyndman and Fan type 7, R's default). */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 1) return sorted[0];
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    static double ratio(double canaryMean, double baselineMean) {
        if (baselineMean == 0) {
            return canaryMean == 0 ? 1.0 : canaryMean > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }
        return canaryMean / baselineMean;
    }

    static String n(double v) {
        if (Double.isInfinite(v)) return v > 0 ? "+inf" : "-inf";
        return GateRules.number(v);
    }

    private static String signed(double v) {
        return (v > 0 ? "+" : "") + n(v);
    }

    static String p(double p) {
        if (p >= 0.001) return String.format(Locale.ROOT, "%.3f", p);
        return String.format(Locale.ROOT, "%.2g", p);
    }

    static String pct(double c) {
        return GateRules.number(c * 100) + "%";
    }
}
