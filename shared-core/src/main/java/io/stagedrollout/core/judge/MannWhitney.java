package io.stagedrollout.core.judge;

import java.util.Arrays;

/**
 * The Mann-Whitney U test (Wilcoxon rank-sum test) of a canary sample against a baseline sample.
 *
 * <p>U counts the pairs (canary value, baseline value) in which the canary's value is larger, ties counting one
 * half: U = R - n(n+1)/2 with R the canary's rank sum, mid-ranks for ties. Without ties and with both samples
 * smaller than 50 values the p-value comes from the exact distribution ({@link ExactU}); otherwise from the normal
 * approximation with mean nm/2, the tie-corrected variance
 * nm/12 * ((N+1) - sum(t^3 - t) / (N(N-1))) (Lehmann, <i>Nonparametrics</i>, 1975, eq. 1.45) and, by default, a
 * continuity correction of 1/2 towards the mean. These are the conventions of R's {@code wilcox.test}.
 */
public final class MannWhitney {
    /** How the p-value is computed. */
    public enum Method { EXACT, NORMAL }

    /**
     * @param continuityCorrection apply the 1/2 continuity correction in the normal approximation
     * @param exactWhenPossible    use the exact distribution without ties and below 50 values per sample
     * @param tieCorrection        shrink the variance of U for tied values (the right thing; Commons Math omits it)
     */
    public record Options(boolean continuityCorrection, boolean exactWhenPossible, boolean tieCorrection) {
        public static final Options DEFAULT = new Options(true, true, true);
        /** Plain normal approximation: no continuity or tie correction (Apache Commons Math 3's convention). */
        public static final Options PLAIN_NORMAL = new Options(false, false, false);

        public Options(boolean continuityCorrection, boolean exactWhenPossible) {
            this(continuityCorrection, exactWhenPossible, true);
        }
    }

    /**
     * @param u        the canary's U statistic (pairs where the canary's value is larger, ties one half)
     * @param z        the standardised statistic of the normal approximation (NaN for the exact method)
     * @param pValue   the p-value for the alternative asked
     * @param ties     whether any values are tied
     */
    public record Result(int canarySize, int baselineSize, double u, double z, double pValue, Method method,
            Alternative alternative, boolean ties) {
        /** The larger of the two samples' U statistics. */
        public double uMax() {
            return Math.max(u, (double) canarySize * baselineSize - u);
        }
    }

    private MannWhitney() {}

    public static Result test(double[] canary, double[] baseline, Alternative alternative) {
        return test(canary, baseline, alternative, Options.DEFAULT);
    }

    public static Result test(double[] canary, double[] baseline, Alternative alternative, Options options) {
        if (canary.length == 0 || baseline.length == 0) throw new IllegalArgumentException("both samples need at least one value");
        double[] c = canary.clone();
        double[] b = baseline.clone();
        Arrays.sort(c);
        Arrays.sort(b);
        return testSorted(c, b, alternative, options);
    }

    /** As {@link #test}, for samples already sorted ascending (they are not modified): no copy, no sort. */
    static Result testSorted(double[] canary, double[] baseline, Alternative alternative, Options options) {
        int n = canary.length;
        int m = baseline.length;
        if (n == 0 || m == 0) throw new IllegalArgumentException("both samples need at least one value");
        Ranks ranks = Ranks.ofSorted(canary, baseline);
        double u = ranks.canaryRankSum() - n * (n + 1.0) / 2.0; // in double: n(n+1) overflows int from n = 46341
        boolean ties = ranks.tieTerm() > 0;
        if (options.exactWhenPossible() && !ties && n <= ExactU.MAX_SIZE && m <= ExactU.MAX_SIZE) {
            ExactU dist = new ExactU(n, m);
            double p = switch (alternative) {
                case GREATER -> dist.upper(u);
                case LESS -> dist.cdf(u);
                case TWO_SIDED -> Math.min(1.0, 2 * (u > n * (double) m / 2 ? dist.upper(u) : dist.cdf(u)));
            };
            return new Result(n, m, u, Double.NaN, p, Method.EXACT, alternative, false);
        }
        double big = n + m;
        double mean = n * (double) m / 2.0;
        double tieTerm = options.tieCorrection() ? ranks.tieTerm() : 0;
        double variance = n * (double) m / 12.0 * ((big + 1) - tieTerm / (big * (big - 1)));
        if (variance <= 0 || (ranks.tieTerm() > 0 && ranks.tieTerm() == big * big * big - big)) {
            // every value is the same (one run of ties, also when the tie correction is off): no evidence of any shift
            return new Result(n, m, u, 0, 1.0, Method.NORMAL, alternative, ties);
        }
        double diff = u - mean;
        double correction = 0;
        if (options.continuityCorrection()) {
            correction = switch (alternative) {
                case TWO_SIDED -> Math.signum(diff) * 0.5;
                case GREATER -> 0.5;
                case LESS -> -0.5;
            };
        }
        double z = (diff - correction) / Math.sqrt(variance);
        double p = switch (alternative) {
            case GREATER -> Normal.upperTail(z);
            case LESS -> Normal.cdf(z);
            case TWO_SIDED -> Math.min(1.0, 2 * Math.min(Normal.cdf(z), Normal.upperTail(z)));
        };
        return new Result(n, m, u, z, p, Method.NORMAL, alternative, ties);
    }

    /** Mid-ranks of the pooled samples: the canary's rank sum and the tie term sum(t^3 - t). */
    record Ranks(double canaryRankSum, double tieTerm) {
        /** Merges the two sorted samples, giving each run of equal values its mid-rank: O(N), primitives only. */
        static Ranks ofSorted(double[] c, double[] b) {
            if ((c.length > 0 && Double.isNaN(c[c.length - 1])) || (b.length > 0 && Double.isNaN(b[b.length - 1]))) {
                throw new IllegalArgumentException("samples must not contain NaN");
            }
            double rankSum = 0;
            double tieTerm = 0;
            int i = 0, j = 0;
            long position = 0; // values ranked so far
            while (i < c.length || j < b.length) {
                double v = j >= b.length || (i < c.length && c[i] <= b[j]) ? c[i] : b[j];
                int tc = 0, tb = 0;
                while (i < c.length && c[i] == v) { i++; tc++; }
                while (j < b.length && b[j] == v) { j++; tb++; }
                long t = tc + tb;
                double midRank = position + (t + 1) / 2.0;
                rankSum += tc * midRank;
                if (t > 1) tieTerm += (double) t * t * t - t;
                position += t;
            }
            return new Ranks(rankSum, tieTerm);
        }
    }
}
