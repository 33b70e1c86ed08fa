package io.stagedrollout.core.judge.sequential;

/**
 * A confidence sequence for the canary/baseline error-rate ratio: intervals that hold the true ratio at every
 * interval of the bake at once with probability at least 1 - alpha, so they may be read after every measurement.
 *
 * <p>Method of mixtures (Howard, Ramdas, McAuliffe, Sekhon, "Time-uniform, nonparametric, nonasymptotic confidence
 * sequences", Annals of Statistics 49(2), 2021, Sec. 3; Johari, Pekelis, Walsh, "Always Valid Inference", 2022,
 * Sec. 4): for each candidate log-ratio u0 on a grid, a two-sided mixture of likelihood ratios against u0 is a
 * nonnegative martingale when u0 is the truth; the candidates whose martingale has never reached 1/alpha form the
 * set. Intersecting over time (the running maximum) keeps the guarantee and makes the intervals only shrink.
 */
final class RatioConfidenceSequence {
    static final double STEP = 0.02;
    static final double RANGE = 4.0; // ratios from e^-4 (0.018) to e^4 (54.6)

    private final double threshold;
    private final RatioLikelihood likelihood;
    private final double[] kernel; // log weights for offsets -half..half, offset 0 excluded
    private final int half;
    private final double[] logNorm;
    private final double[] runMax;
    private boolean informed;

    RatioConfidenceSequence(double alpha, double spread) {
        this.threshold = Math.log(1 / alpha);
        int n = (int) Math.round(2 * RANGE / STEP) + 1;
        double[] grid = new double[n];
        for (int i = 0; i < n; i++) grid[i] = -RANGE + i * STEP;
        this.likelihood = new RatioLikelihood(grid);
        this.half = Math.min(n - 1, (int) Math.ceil(3 * spread / STEP));
        this.kernel = new double[2 * half + 1];
        for (int k = -half; k <= half; k++) {
            kernel[k + half] = k == 0 ? Double.NEGATIVE_INFINITY : -0.5 * Math.pow(k * STEP / spread, 2);
        }
        this.logNorm = new double[n];
        for (int i = 0; i < n; i++) {
            int from = Math.max(-half, -i), to = Math.min(half, n - 1 - i);
            logNorm[i] = SequentialRateTest.logSumExp(kernel, from + half, to + half + 1);
        }
        this.runMax = new double[n];
    }

    void add(IntervalCounts counts) {
        if (!counts.informative()) return;
        informed = true;
        likelihood.add(counts);
        int n = likelihood.size();
        double[] terms = new double[kernel.length];
        for (int i = 0; i < n; i++) {
            int from = Math.max(-half, -i), to = Math.min(half, n - 1 - i);
            double ref = likelihood.logLik(i);
            for (int k = from; k <= to; k++) {
                terms[k + half] = kernel[k + half] + likelihood.logLik(i + k) - ref;
            }
            double logM = SequentialRateTest.logSumExp(terms, from + half, to + half + 1) - logNorm[i];
            if (logM > runMax[i]) runMax[i] = logM;
        }
    }

    /** The current interval, or null when every candidate ratio has been excluded (the model does not fit). */
    RatioInterval interval() {
        int n = likelihood.size();
        int lo = -1, hi = -1;
        for (int i = 0; i < n; i++) {
            if (runMax[i] < threshold) {
                if (lo < 0) lo = i;
                hi = i;
            }
        }
        if (lo < 0) return null;
        return new RatioInterval(Math.exp(likelihood.logRatio(lo)), Math.exp(likelihood.logRatio(hi)),
                lo == 0, hi == n - 1);
    }

    /** The ratio that fits the data best (on the grid), or NaN before any error was seen. */
    double estimate() {
        if (!informed) return Double.NaN;
        int best = 0;
        for (int i = 1; i < likelihood.size(); i++) {
            if (likelihood.logLik(i) > likelihood.logLik(best)) best = i;
        }
        return Math.exp(likelihood.logRatio(best));
    }
}
