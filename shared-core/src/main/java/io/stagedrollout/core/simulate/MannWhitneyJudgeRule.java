package io.stagedrollout.core.simulate;

import io.stagedrollout.core.gate.GateRules;
import io.stagedrollout.core.judge.Alternative;
import io.stagedrollout.core.judge.MannWhitney;
import io.stagedrollout.core.judge.sequential.IntervalCounts;
import java.util.List;

/**
 * Kayenta's style of canary analysis, reduced to one metric: every {@code judgeEvery} intervals the judge compares
 * the canary's per-interval error ratios with the baseline's, over everything since the bake started (Kayenta's
 * default growing window), with a one-sided Mann-Whitney U test (this project's {@link MannWhitney}, the one the
 * {@code judge} gate uses). A significant increase classifies the metric High; with one metric the score drops to 0,
 * below any {@code marginal} threshold, and the analysis fails at once. Intervals in which a side served no request
 * have no ratio and are dropped (Kayenta's NaN "remove" strategy).
 */
public record MannWhitneyJudgeRule(int judgeEvery, double significance) implements DetectionRule {
    @Override
    public String name() {
        return "mann-whitney";
    }

    @Override
    public String settings() {
        return "one-sided Mann-Whitney U on per-interval error ratios since the start, judged every " + judgeEvery
                + " intervals, High (score 0 < marginal) when p < " + GateRules.number(significance);
    }

    @Override
    public int rollbackAfter(List<IntervalCounts> intervals) {
        for (int end = judgeEvery; end <= intervals.size(); end += judgeEvery) {
            double[] canary = ratios(intervals, end, true);
            double[] baseline = ratios(intervals, end, false);
            if (canary.length == 0 || baseline.length == 0) continue;
            if (MannWhitney.test(canary, baseline, Alternative.GREATER).pValue() < significance) return end;
        }
        return 0;
    }

    private static double[] ratios(List<IntervalCounts> intervals, int end, boolean canary) {
        double[] out = new double[end];
        int n = 0;
        for (int i = 0; i < end; i++) {
            IntervalCounts c = intervals.get(i);
            long requests = canary ? c.canaryRequests() : c.baselineRequests();
            long errors = canary ? c.canaryErrors() : c.baselineErrors();
            if (requests > 0) out[n++] = (double) errors / requests;
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
