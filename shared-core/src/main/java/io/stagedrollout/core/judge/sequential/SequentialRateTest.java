package io.stagedrollout.core.judge.sequential;

/**
 * An always-valid test that the canary's error rate is not worse than the baseline's, checked after every interval
 * for as long as the bake lasts, with a false-alarm rate of at most {@code alpha} however many times it is checked.
 *
 * <p>It is a mixture sequential probability ratio test (mSPRT): Johari, Pekelis, Walsh, "Always Valid Inference:
 * Continuous Monitoring of A/B Tests", Operations Research 70(3), 2022 (arXiv:1512.04922), with the likelihood of
 * {@link RatioLikelihood} (the canary's share of each interval's errors). For each alternative log-ratio u the
 * likelihood ratio against u = 0 is a nonnegative supermartingale under the null; a fixed mixture of them over a
 * prior on u is one too, and by Ville's inequality it exceeds 1/alpha with probability at most alpha, ever. The
 * always-valid p-value is {@code min(1, 1 / max_t M_t)} (Johari et al., Sec. 3), so a gate may fail the moment
 * {@code p <= alpha}. The same supermartingale argument underlies Howard, Ramdas, McAuliffe, Sekhon,
 * "Time-uniform, nonparametric, nonasymptotic confidence sequences", Annals of Statistics 49(2), 2021, whose method
 * of mixtures {@link RatioConfidenceSequence} uses for the interval.
 *
 * <p>The mixing prior ({@link MixingPrior}) is put where the user says regressions matter, on the regression side
 * only for {@code increase} or {@code decrease} (which makes the null composite: a canary that is better than the
 * baseline never trips it), half on each side for {@code either}. Any fixed prior keeps the guarantee; this one
 * only tunes power.
 */
public final class SequentialRateTest {
    private final double alpha;
    private final double minEffect;
    private final Direction direction;
    private final RatioLikelihood likelihood;
    private final double[] logWeight;
    private double logE;
    private double maxLogE;
    private int intervals;

    /**
     * @param alpha     the false-alarm rate, in (0, 0.5]
     * @param minEffect the smallest ratio worth catching, greater than 1 ({@code decrease}: the canary's rate falls
     *                  by this factor)
     */
    public SequentialRateTest(double alpha, double minEffect, Direction direction) {
        if (!(alpha > 0 && alpha <= 0.5)) throw new IllegalArgumentException("alpha must be in (0, 0.5], not " + alpha);
        if (!(minEffect > 1 && minEffect <= 100)) throw new IllegalArgumentException("minEffect must be in (1, 100], not " + minEffect);
        this.alpha = alpha;
        this.minEffect = minEffect;
        this.direction = direction;
        double mu = Math.log(minEffect);
        double[] prior = MixingPrior.logWeights(mu);
        int n = MixingPrior.SIZE;
        int sides = direction == Direction.EITHER ? 2 : 1;
        double[] grid = new double[1 + sides * n];
        double[] w = new double[grid.length];
        grid[0] = 0;
        w[0] = Double.NEGATIVE_INFINITY; // u = 0 is the null, kept in the grid as the reference likelihood
        int k = 1;
        for (int side = 0; side < sides; side++) {
            double sign = direction == Direction.DECREASE || side == 1 ? -1 : 1;
            for (int j = 1; j <= n; j++) {
                grid[k] = sign * MixingPrior.offset(mu, j);
                w[k] = prior[j] - Math.log(sides); // either: half the mass on each side
                k++;
            }
        }
        this.likelihood = new RatioLikelihood(grid);
        this.logWeight = w;
    }

    /** Takes one more interval into account. */
    public void add(IntervalCounts counts) {
        intervals++;
        if (!counts.informative()) return;
        likelihood.add(counts);
        double[] terms = new double[logWeight.length];
        double ref = likelihood.logLik(0);
        for (int j = 1; j < terms.length; j++) terms[j] = logWeight[j] + likelihood.logLik(j) - ref;
        logE = logSumExp(terms, 1, terms.length);
        maxLogE = Math.max(maxLogE, logE);
    }

    /** The always-valid p-value: the smallest alpha at which the test would have stopped by now. Never increases. */
    public double pValue() {
        return Math.min(1.0, Math.exp(-maxLogE));
    }

    /** The evidence now (the mixture likelihood ratio, an e-value); it may fall again after a peak. */
    public double eValue() {
        return Math.exp(logE);
    }

    /** True once the evidence crossed 1/alpha: the canary regressed, with false-alarm rate at most alpha. */
    public boolean regressionDetected() {
        return maxLogE >= Math.log(1 / alpha);
    }

    public int intervals() {
        return intervals;
    }

    public double alpha() {
        return alpha;
    }

    public double minEffect() {
        return minEffect;
    }

    public Direction direction() {
        return direction;
    }

    static double logSumExp(double[] v, int from, int to) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) max = Math.max(max, v[i]);
        if (max == Double.NEGATIVE_INFINITY) return max;
        double s = 0;
        for (int i = from; i < to; i++) s += Math.exp(v[i] - max);
        return max + Math.log(s);
    }
}
