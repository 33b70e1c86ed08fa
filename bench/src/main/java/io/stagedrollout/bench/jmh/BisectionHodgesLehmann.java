package io.stagedrollout.bench.jmh;

import java.util.Arrays;

/**
 * The judge's Hodges-Lehmann order statistics as they were computed before issue 18, kept here only as the
 * "before" of {@link HodgesLehmannBench}: the k-th difference is bisected over the 64-bit patterns of doubles, each
 * step counting the differences below the candidate with a staircase walk, O((n+m) * 64) per order statistic.
 */
final class BisectionHodgesLehmann {
    private final double[] canary;
    private final double[] baseline;

    BisectionHodgesLehmann(double[] canary, double[] baseline) {
        this.canary = canary.clone();
        this.baseline = baseline.clone();
        Arrays.sort(this.canary);
        Arrays.sort(this.baseline);
    }

    /** The shift and the interval [D(k), D(nm+1-k)], as the judge computed them: four order statistics. */
    double[] estimate(long k) {
        long total = (long) canary.length * baseline.length;
        double shift = total % 2 == 1 ? kth((total + 1) / 2) : (kth(total / 2) + kth(total / 2 + 1)) / 2.0;
        return new double[] {shift, kth(k), kth(total + 1 - k)};
    }

    double kth(long k) {
        long lo = sortable(canary[0] - baseline[baseline.length - 1]);
        long hi = sortable(canary[canary.length - 1] - baseline[0]);
        while (lo < hi) {
            long mid = (lo & hi) + ((lo ^ hi) >> 1);
            if (countAtMost(unsortable(mid)) >= k) hi = mid; else lo = mid + 1;
        }
        return unsortable(lo) + 0.0;
    }

    private long countAtMost(double d) {
        long count = 0;
        int start = 0;
        int m = baseline.length;
        for (double x : canary) {
            while (start < m && x - baseline[start] > d) start++;
            count += m - start;
        }
        return count;
    }

    private static long sortable(double d) {
        long bits = Double.doubleToLongBits(d == 0.0 ? 0.0 : d);
        return bits < 0 ? bits ^ Long.MAX_VALUE : bits;
    }

    private static double unsortable(long s) {
        return Double.longBitsToDouble(s < 0 ? s ^ Long.MAX_VALUE : s);
    }
}
