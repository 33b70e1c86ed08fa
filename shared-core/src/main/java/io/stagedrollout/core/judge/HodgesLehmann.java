package io.stagedrollout.core.judge;

import java.util.Arrays;

/**
 * The Hodges-Lehmann estimate of the shift between canary and baseline (the median of all n*m differences
 * canary_i - baseline_j) and the distribution-free confidence interval that inverts the Mann-Whitney test
 * (Bauer 1972; Hollander, Wolfe and Chicken, <i>Nonparametric Statistical Methods</i>, 3rd ed., section 4.3):
 * with k chosen from the null distribution of U, the interval is [D(k), D(nm+1-k)], D(i) the i-th smallest
 * difference. k comes from the exact distribution when the test is exact (as R's {@code wilcox.test} does), else
 * from the normal approximation k = floor(nm/2 - z(1-a/2) * sd(U)), with the tie-corrected sd.
 *
 * <p>The order statistics D(i) are selected by {@link PairwiseDifferences} without listing the n*m differences,
 * in O((n+m) log(nm)) expected time: 100,000 values per sample take milliseconds, not the 10^10 differences.
 */
public final class HodgesLehmann {
    /**
     * @param confidence the confidence asked for; {@code achievedConfidence} is what the discrete U distribution
     *                   gives (exact method), or the same number (normal approximation)
     */
    public record Estimate(double shift, double lower, double upper, double confidence, double achievedConfidence) {}

    private HodgesLehmann() {}

    public static Estimate estimate(double[] canary, double[] baseline, double confidence, MannWhitney.Method method) {
        if (canary.length == 0 || baseline.length == 0) throw new IllegalArgumentException("both samples need values");
        double[] c = canary.clone();
        double[] b = baseline.clone();
        Arrays.sort(c);
        Arrays.sort(b);
        return estimateSorted(c, b, confidence, method);
    }

    /** As {@link #estimate}, for samples already sorted ascending (they are not modified). */
    static Estimate estimateSorted(double[] canary, double[] baseline, double confidence, MannWhitney.Method method) {
        if (canary.length == 0 || baseline.length == 0) throw new IllegalArgumentException("both samples need values");
        if (!(confidence > 0 && confidence < 1)) throw new IllegalArgumentException("confidence must be in (0, 1)");
        if (!finite(canary) || !finite(baseline)) throw new IllegalArgumentException("samples must be finite numbers");
        PairwiseDifferences d = new PairwiseDifferences(canary, baseline);
        long n = canary.length;
        long m = baseline.length;
        long total = n * m;
        double shift;
        if (total % 2 == 1) {
            shift = d.kth((total + 1) / 2);
        } else {
            double left = d.kth(total / 2);
            // the next order statistic is the same value when it is tied, else the smallest difference above it
            double right = d.countAtMost(left) > total / 2 ? left : d.smallestAbove(left);
            shift = (left + right) / 2.0;
        }
        double alpha = 1 - confidence;
        long k;
        double achieved;
        if (method == MannWhitney.Method.EXACT) {
            ExactU dist = new ExactU((int) n, (int) m);
            // smallest u with P(U <= u) >= alpha/2, as qwilcox
            long q = 0;
            while (q < total && dist.cdf(q) < alpha / 2) q++;
            k = Math.max(1, q);
            achieved = 1 - 2 * dist.cdf(k - 1);
        } else {
            double tieTerm = MannWhitney.Ranks.ofSorted(canary, baseline).tieTerm();
            double big = n + m;
            double sd = Math.sqrt(n * (double) m / 12.0 * ((big + 1) - tieTerm / (big * (big - 1))));
            k = Math.max(1, (long) Math.floor(total / 2.0 - Normal.quantile(1 - alpha / 2) * sd));
            achieved = confidence;
        }
        k = Math.min(k, (total + 1) / 2);
        double lower = d.kth(k);
        double upper = k == total + 1 - k ? lower : d.kth(total + 1 - k);
        return new Estimate(shift, lower, upper, confidence, achieved);
    }

    private static boolean finite(double[] sorted) {
        return Double.isFinite(sorted[0]) && Double.isFinite(sorted[sorted.length - 1]);
    }
}
