package io.stagedrollout.core.judge;

import io.stagedrollout.core.gate.GateRules;
import io.stagedrollout.core.gate.Outcome;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Scores the classified metrics and turns the score into an outcome, as Kayenta's weighted-sum scorer and threshold
 * classifier do, with the fail-safe rule of this project on top.
 *
 * <p>score = 100 * (weight of PASS metrics) / (weight of all metrics). NODATA, TOO_FEW and ERROR metrics count as
 * not passing (Kayenta leaves them out, which would let missing data raise a score); the best possible score, had
 * they passed, is also computed. In order:
 * <ol>
 *   <li>a critical failure (a critical metric HIGH, LOW or without data, or an effect beyond
 *       criticalIncrease/criticalDecrease) → FAIL;</li>
 *   <li>half or more of the metrics have no data at all → FAIL (Kayenta's NODATA threshold);</li>
 *   <li>the best possible score is below {@code marginal} → FAIL (no missing metric could rescue it);</li>
 *   <li>a metric whose source failed → ERROR;</li>
 *   <li>a metric without data or with too few values → INCONCLUSIVE;</li>
 *   <li>score ≥ pass → PASS; score ≥ marginal → INCONCLUSIVE (Kayenta's "marginal"); else FAIL.</li>
 * </ol>
 */
public final class CanaryJudge {
    /** The judgement of one measurement: outcome, score, and every metric's result. */
    public record Result(Outcome outcome, double score, double bestScore, String reason, List<MetricResult> metrics) {
        public Result {
            metrics = List.copyOf(metrics);
        }
    }

    /** Half or more of the metrics without data fail the judgement, as in Kayenta. */
    public static final double NODATA_SHARE_THAT_FAILS = 0.5;

    private CanaryJudge() {}

    public static Result score(List<MetricResult> metrics, double pass, double marginal) {
        double total = 0, passed = 0, missing = 0;
        for (MetricResult m : metrics) {
            total += m.weight();
            if (m.classification() == MetricClass.PASS) passed += m.weight();
            if (missing(m.classification())) missing += m.weight();
        }
        double score = total == 0 ? 0 : 100 * passed / total;
        double best = total == 0 ? 0 : 100 * (passed + missing) / total;
        long nPass = count(metrics, MetricClass.PASS);
        String tally = "score " + GateRules.number(round(score)) + " (" + nPass + " of " + metrics.size() + " metrics passed"
                + (weighted(metrics) ? ", by weight" : "") + ")";
        String thresholds = "pass " + GateRules.number(pass) + ", marginal " + GateRules.number(marginal);
        List<MetricResult> critical = metrics.stream().filter(MetricResult::criticalFailure).toList();
        Outcome outcome;
        String head;
        if (!critical.isEmpty()) {
            outcome = Outcome.FAIL;
            head = "critical failure of " + critical.stream().map(MetricResult::name).collect(Collectors.joining(", "))
                    + "; " + tally;
        } else if (!metrics.isEmpty() && count(metrics, MetricClass.NODATA) >= NODATA_SHARE_THAT_FAILS * metrics.size()) {
            outcome = Outcome.FAIL;
            head = count(metrics, MetricClass.NODATA) + " of " + metrics.size() + " metrics have no data (half or more fails); " + tally;
        } else if (best < marginal) {
            outcome = Outcome.FAIL;
            head = tally + " < marginal " + GateRules.number(marginal)
                    + (missing > 0 ? " even if the metrics without data had passed (at best " + GateRules.number(round(best)) + ")" : "");
        } else if (count(metrics, MetricClass.ERROR) > 0) {
            outcome = Outcome.ERROR;
            head = "cannot judge: " + count(metrics, MetricClass.ERROR) + " metric source(s) failed; " + tally + ", " + thresholds;
        } else if (count(metrics, MetricClass.NODATA) + count(metrics, MetricClass.TOO_FEW) > 0) {
            outcome = Outcome.INCONCLUSIVE;
            head = "cannot pass: " + (count(metrics, MetricClass.NODATA) + count(metrics, MetricClass.TOO_FEW))
                    + " metric(s) without enough data; " + tally + ", " + thresholds;
        } else if (score >= pass) {
            outcome = Outcome.PASS;
            head = tally + " >= pass " + GateRules.number(pass);
        } else if (score >= marginal) {
            outcome = Outcome.INCONCLUSIVE;
            head = tally + " is marginal: below pass " + GateRules.number(pass) + ", at least marginal " + GateRules.number(marginal);
        } else {
            outcome = Outcome.FAIL;
            head = tally + " < marginal " + GateRules.number(marginal);
        }
        String details = metrics.stream().map(MetricResult::reason).collect(Collectors.joining("; "));
        return new Result(outcome, score, best, head + ". " + details, metrics);
    }

    private static boolean missing(MetricClass c) {
        return c == MetricClass.NODATA || c == MetricClass.TOO_FEW || c == MetricClass.ERROR;
    }

    private static long count(List<MetricResult> metrics, MetricClass c) {
        return metrics.stream().filter(m -> m.classification() == c).count();
    }

    private static boolean weighted(List<MetricResult> metrics) {
        return metrics.stream().map(MetricResult::weight).distinct().count() > 1;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
