package io.stagedrollout.core.judge.sequential;

/**
 * The mixing distribution over alternative log-ratios, on one side of the null: a normal centred on
 * ln(minEffect) with that same spread, discretised at {@code ln(minEffect) / 8} steps out to six times
 * ln(minEffect), normalised. It puts the test's power where the user said regressions matter; any fixed prior keeps
 * the false-alarm guarantee.
 */
final class MixingPrior {
    static final int POINTS_PER_EFFECT = 8;
    static final int EFFECTS_SPANNED = 6;
    static final int SIZE = POINTS_PER_EFFECT * EFFECTS_SPANNED;

    private MixingPrior() {}

    /** Offset j (1-based) from the null, in log-ratio. */
    static double offset(double mu, int j) {
        return mu * j / POINTS_PER_EFFECT;
    }

    /** Normalised log weights of offsets 1..SIZE (index 0 unused). */
    static double[] logWeights(double mu) {
        double[] w = new double[SIZE + 1];
        w[0] = Double.NEGATIVE_INFINITY;
        for (int j = 1; j <= SIZE; j++) w[j] = -0.5 * Math.pow((offset(mu, j) - mu) / mu, 2);
        double norm = SequentialRateTest.logSumExp(w, 1, w.length);
        for (int j = 1; j <= SIZE; j++) w[j] -= norm;
        return w;
    }
}
