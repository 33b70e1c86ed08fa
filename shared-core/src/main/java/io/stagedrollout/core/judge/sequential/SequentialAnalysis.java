package io.stagedrollout.core.judge.sequential;

import io.stagedrollout.core.gate.GateRules;
import java.util.List;

/**
 * The state of a sequential comparison after some intervals: the always-valid p-value, always-valid bounds for
 * the rate ratio, and whether a regression was detected or one of the stated size ruled out. Rebuilt from the list
 * of intervals every time, so a restarted process reaches exactly the same state from stored counts.
 */
public record SequentialAnalysis(
        int intervals,
        long canaryRequests,
        long canaryErrors,
        long baselineRequests,
        long baselineErrors,
        double pValue,
        double estimate,
        RatioInterval interval,
        boolean regressionDetected,
        boolean regressionRuledOut,
        double alpha,
        double minEffect,
        Direction direction) {

    public static SequentialAnalysis of(List<IntervalCounts> history, double alpha, double minEffect, Direction direction) {
        SequentialRateTest test = new SequentialRateTest(alpha, minEffect, direction);
        RatioConfidenceSequence cs = new RatioConfidenceSequence(direction == Direction.EITHER ? alpha / 2 : alpha, minEffect);
        long cr = 0, ce = 0, br = 0, be = 0;
        for (IntervalCounts c : history) {
            test.add(c);
            cs.add(c);
            cr += c.canaryRequests();
            ce += c.canaryErrors();
            br += c.baselineRequests();
            be += c.baselineErrors();
        }
        RatioInterval ci = cs.interval();
        return new SequentialAnalysis(history.size(), cr, ce, br, be, test.pValue(), cs.estimate(), ci,
                test.regressionDetected(), ruledOut(ci, minEffect, direction), alpha, minEffect, direction);
    }

    /** Whether the bounds exclude a regression of {@code minEffect} (or more) in the gate's direction. */
    static boolean ruledOut(RatioInterval ci, double minEffect, Direction direction) {
        return ci != null && switch (direction) {
            case INCREASE -> !ci.highOpen() && ci.high() < minEffect;
            case DECREASE -> !ci.lowOpen() && ci.low() > 1 / minEffect;
            case EITHER -> !ci.highOpen() && !ci.lowOpen() && ci.high() < minEffect && ci.low() > 1 / minEffect;
        };
    }

    /**
     * The same test and bounds fed one interval at a time, for simulations that decide after every interval
     * without rebuilding the analysis from the whole history each time.
     */
    public static final class Running {
        private final SequentialRateTest test;
        private final RatioConfidenceSequence cs;
        private final double minEffect;
        private final Direction direction;

        public Running(double alpha, double minEffect, Direction direction) {
            this.test = new SequentialRateTest(alpha, minEffect, direction);
            this.cs = new RatioConfidenceSequence(direction == Direction.EITHER ? alpha / 2 : alpha, minEffect);
            this.minEffect = minEffect;
            this.direction = direction;
        }

        public void add(IntervalCounts counts) {
            test.add(counts);
            cs.add(counts);
        }

        public boolean regressionDetected() {
            return test.regressionDetected();
        }

        public boolean regressionRuledOut() {
            return ruledOut(cs.interval(), minEffect, direction);
        }
    }

    /**
     * In words and numbers: "canary 4% (16/400) vs baseline 1% (36/3600), ratio 4.03, always-valid 99% bounds
     * [1.32, 10.29]; always-valid p 0.0016 <= alpha 0.01 after 2 intervals: regression (increase)".
     */
    public String explain() {
        StringBuilder sb = new StringBuilder();
        sb.append("canary ").append(rate(canaryErrors, canaryRequests)).append(" vs baseline ")
                .append(rate(baselineErrors, baselineRequests));
        if (!Double.isNaN(estimate)) sb.append(", ratio ").append(GateRules.number(RatioInterval.round(estimate)));
        double level = direction == Direction.EITHER ? alpha / 2 : alpha;
        sb.append(", always-valid ").append(GateRules.number((1 - level) * 100)).append("% bounds ")
                .append(interval == null ? "crossed (the rates are not in a steady ratio)" : interval.toString());
        sb.append("; always-valid p ").append(GateRules.number(pValue))
                .append(regressionDetected ? " <= " : " > ").append("alpha ").append(GateRules.number(alpha))
                .append(" after ").append(intervals).append(intervals == 1 ? " interval" : " intervals");
        if (regressionDetected) {
            sb.append(": regression (").append(direction.label()).append(")");
        } else if (regressionRuledOut) {
            sb.append(": a ").append(GateRules.number(minEffect)).append("x regression is ruled out");
        } else {
            sb.append(": no regression so far (smallest worth catching ").append(GateRules.number(minEffect)).append("x)");
        }
        return sb.toString();
    }

    private static String rate(long errors, long requests) {
        if (requests == 0) return "no requests";
        return GateRules.number(Math.round(10000.0 * errors / requests) / 100.0) + "% (" + errors + "/" + requests + ")";
    }
}
