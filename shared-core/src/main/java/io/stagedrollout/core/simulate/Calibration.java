package io.stagedrollout.core.simulate;

import java.util.ArrayList;
import java.util.List;

/**
 * Tunes the fixed-threshold and fixed-interval rules to a target false-rollback rate on simulated A/A traffic, so
 * that the benchmark compares detection at equal false-rollback rates. This favours them: a real team does not
 * know its A/A distribution this precisely, whereas the sequential gate gets its rate from {@code alpha} alone.
 */
public final class Calibration {
    /** max = baseline error rate × each of these. */
    static final double[] THRESHOLD_FACTORS = {1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 7, 10, 15, 20, 30, 50, 100};
    static final double[] SIGNIFICANCES = {0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 5e-4, 2e-4, 1e-4, 5e-5, 2e-5, 1e-5};

    private Calibration() {}

    /** The lowest {@code max} whose A/A false-rollback rate is at most {@code target} (the last rung if none is). */
    public static ThresholdRule threshold(Scenario aa, int failureLimit, double target, int runs, long seed) {
        List<ThresholdRule> ladder = new ArrayList<>();
        for (double f : THRESHOLD_FACTORS) ladder.add(new ThresholdRule(aa.baselineErrorRate() * f, failureLimit));
        return first(aa, ladder, target, runs, seed);
    }

    /** The largest per-judgement significance whose A/A false-rollback rate is at most {@code target}. */
    public static MannWhitneyJudgeRule judge(Scenario aa, int judgeEvery, double target, int runs, long seed) {
        List<MannWhitneyJudgeRule> ladder = new ArrayList<>();
        for (double s : SIGNIFICANCES) ladder.add(new MannWhitneyJudgeRule(judgeEvery, s));
        return first(aa, ladder, target, runs, seed);
    }

    private static <R extends DetectionRule> R first(Scenario aa, List<R> ladder, double target, int runs, long seed) {
        if (aa.regression() != 1.0) throw new IllegalArgumentException("calibrate on A/A traffic (regression 1)");
        List<RuleOutcome> outcomes = DetectionStudy.run(aa, ladder, runs, seed);
        for (int i = 0; i < ladder.size(); i++) {
            if (outcomes.get(i).rollbackRate() <= target) return ladder.get(i);
        }
        return ladder.get(ladder.size() - 1);
    }
}
