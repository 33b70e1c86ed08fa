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
 * <p>The i-th smallest difference is found without listing the n*m differences: for a candidate d the number of
 * differences <= d is counted in O(n+m) over the sorted samples, and d is bisected over the ordered bit patterns
 * of doubles, so the answer is an actual difference and the cost is O((n+m) log(n+m)).
 */
public final class HodgesLehmann {
    /**
     * @param confidence the confidence asked for; {@code achievedConfidence} is what the discrete U distribution
     *                   gives (exact method), or the same number (normal approximation)
     */
    public record Estimate(double shift, double lower, double upper, double confidence, double achievedConfidence) {}

    private final double[] canary;
    private final double[] baseline;

    private HodgesLehmann(double[] canary, double[] baseline) {
        this.canary = canary.clone();
        this.baseline = baseline.clone();
        Arrays.sort(this.canary);
        Arrays.sort(this.baseline);
    }

    public static Estimate estimate(double[] canary, double[] baseline, double confidence, MannWhitney.Method method) {
        if (canary.length == 0 || baseline.length == 0) throw new IllegalArgumentException("both samples need values");
        if (!(confidence > 0 && confidence < 1)) throw new IllegalArgumentException("confidence must be in (0, 1)");
        HodgesLehmann h = new HodgesLehmann(canary, baseline);
        long n = canary.length;
        long m = baseline.length;
        long total = n * m;
        double shift = total % 2 == 1 ? h.kth((total + 1) / 2)
                : (h.kth(total / 2) + h.kth(total / 2 + 1)) / 2.0;
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
            double tieTerm = MannWhitney.Ranks.of(canary, baseline).tieTerm();
            double big = n + m;
            double sd = Math.sqrt(n * (double) m / 12.0 * ((big + 1) - tieTerm / (big * (big - 1))));
            k = Math.max(1, (long) Math.floor(total / 2.0 - Normal.quantile(1 - alpha / 2) * sd));
            achieved = confidence;
        }
        k = Math.min(k, (total + 1) / 2);
        double lower = h.kth(k);
        double upper = h.kth(total + 1 - k);
        return new Estimate(shift, lower, upper, confidence, achieved);
    }

    /** The k-th smallest (1-based) of the differences canary_i - baseline_j. */
    double kth(long k) {
        long lo = sortable(canary[0] - baseline[baseline.length - 1]); // the smallest difference
        long hi = sortable(canary[canary.length - 1] - baseline[0]); // the largest
        // find the smallest d (in double order) with count(<= d) >= k
        while (lo < hi) {
            long mid = (lo & hi) + ((lo ^ hi) >> 1); // floor of the mean, without overflow
            if (countAtMost(unsortable(mid)) >= k) hi = mid; else lo = mid + 1;
        }
        return unsortable(lo) + 0.0; // -0.0 and 0.0 count alike; report 0.0
    }

    /** How many canary_i - baseline_j are <= d. */
    private long countAtMost(double d) {
        // for each canary value (ascending) the qualifying baseline values form a suffix whose start only moves right
        long count = 0;
        int start = 0;
        int m = baseline.length;
        for (double x : canary) {
            while (start < m && x - baseline[start] > d) start++;
            count += m - start;
        }
        return count;
    }

    /** Maps doubles to longs with the same order (negative values flipped), so bisection walks actual doubles. */
    private static long sortable(double d) {
        long bits = Double.doubleToLongBits(d == 0.0 ? 0.0 : d);
        return bits < 0 ? bits ^ Long.MAX_VALUE : bits;
    }

    private static double unsortable(long s) {
        return Double.longBitsToDouble(s < 0 ? s ^ Long.MAX_VALUE : s);
    }
}
