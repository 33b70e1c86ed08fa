package io.stagedrollout.core.judge.sequential;

/**
 * Always-valid bounds for the canary/baseline error-rate ratio: a lower and an upper confidence sequence, each of
 * which holds at every interval of the bake at once with probability at least 1 - level, so they may be read after
 * every measurement.
 *
 * <p>Method of mixtures (Howard, Ramdas, McAuliffe, Sekhon, "Time-uniform, nonparametric, nonasymptotic confidence
 * sequences", Annals of Statistics 49(2), 2021, Sec. 3; Johari, Pekelis, Walsh, "Always Valid Inference", 2022,
 * Sec. 4): for each candidate log-ratio u0 on a grid, the one-sided test of "the ratio is at most u0" mixes the
 * likelihood ratios of u0 + d over the same prior offsets d as {@link SequentialRateTest}; the lower bound is the
 * smallest candidate that test has never rejected (running maximum, so bounds only tighten). Mirrored, the upper
 * bound. At u0 = 0 the lower test is exactly the gate's test, so the lower bound exceeds 1 exactly when an
 * {@code increase} gate fails (and the upper bound is below 1 exactly when a {@code decrease} gate fails). The
 * bounds are exact when errors arrive as Poisson processes; for u0 = 0 also when each request errs independently
 * (see {@link RatioLikelihood}).
 */
final class RatioConfidenceSequence {
    static final double RANGE = 4.0; // candidates from e^-4 (0.018) to e^4 (54.6)
    private static final double MAX_STEP = 0.05;

    private final double threshold;
    private final double step;
    private final int stride; // grid points per prior offset
    private final int zero; // index of u = 0 in the likelihood grid
    private final int half; // candidates run from zero - half to zero + half
    private final double[] logWeight;
    private final RatioLikelihood likelihood;
    private final double[] lowerMax;
    private final double[] upperMax;
    private boolean informed;

    /** @param level the error probability of each bound */
    RatioConfidenceSequence(double level, double minEffect) {
        this.threshold = Math.log(1 / level);
        double mu = Math.log(minEffect);
        double priorStep = mu / MixingPrior.POINTS_PER_EFFECT;
        this.stride = (int) Math.ceil(priorStep / MAX_STEP);
        this.step = priorStep / stride;
        this.half = (int) Math.ceil(RANGE / step);
        int reach = MixingPrior.SIZE * stride;
        this.zero = half + reach;
        double[] grid = new double[2 * zero + 1];
        for (int i = 0; i < grid.length; i++) grid[i] = (i - zero) * step;
        this.likelihood = new RatioLikelihood(grid);
        this.logWeight = MixingPrior.logWeights(mu);
        this.lowerMax = new double[2 * half + 1];
        this.upperMax = new double[2 * half + 1];
    }

    void add(IntervalCounts counts) {
        if (!counts.informative()) return;
        informed = true;
        likelihood.add(counts);
        double[] up = new double[logWeight.length];
        double[] down = new double[logWeight.length];
        for (int c = 0; c < lowerMax.length; c++) {
            // a candidate once rejected stays rejected (running maximum): only the ones still in the bounds need work
            boolean lower = lowerMax[c] < threshold, upper = upperMax[c] < threshold;
            if (!lower && !upper) continue;
            int i = zero - half + c;
            double ref = likelihood.logLik(i);
            for (int j = 1; j < logWeight.length; j++) {
                if (lower) up[j] = logWeight[j] + likelihood.logLik(i + j * stride) - ref;
                if (upper) down[j] = logWeight[j] + likelihood.logLik(i - j * stride) - ref;
            }
            if (lower) lowerMax[c] = Math.max(lowerMax[c], SequentialRateTest.logSumExp(up, 1, up.length));
            if (upper) upperMax[c] = Math.max(upperMax[c], SequentialRateTest.logSumExp(down, 1, down.length));
        }
    }

    /** The bounds now, or null when they crossed (the rates are not in a steady ratio). */
    RatioInterval interval() {
        int lo = 0;
        while (lo < lowerMax.length && lowerMax[lo] >= threshold) lo++;
        int hi = upperMax.length - 1;
        while (hi >= 0 && upperMax[hi] >= threshold) hi--;
        if (lo > hi) return null;
        return new RatioInterval(ratio(lo), ratio(hi), lo == 0, hi == upperMax.length - 1);
    }

    private double ratio(int c) {
        return Math.exp((c - half) * step);
    }

    /** The ratio that fits the data best (on the grid), or NaN before any error was seen. */
    double estimate() {
        if (!informed) return Double.NaN;
        int best = zero - half;
        for (int i = zero - half; i <= zero + half; i++) {
            if (likelihood.logLik(i) > likelihood.logLik(best)) best = i;
        }
        return Math.exp((best - zero) * step);
    }
}
