package io.stagedrollout.core.judge;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Order statistics of the n*m differences {@code canary[i] - baseline[j]} of two sorted samples, found without
 * listing the differences.
 *
 * <p>Sorted, the differences form an implicit matrix whose rows (fixed i, baseline read from its largest value
 * down) and columns both increase, so for any threshold t the number of differences {@code <= t} (and {@code < t})
 * is counted by one staircase walk over the two samples, O(n + m). Selection then works as in Monahan's algorithm
 * for the Hodges-Lehmann estimator (Monahan 1984, ACM TOMS 10(3)), with Floyd and Rivest's sampling to choose the
 * pivots: every row keeps the column range still in play; each round draws a uniform sample of the differences in
 * play, takes the two sample order statistics that bracket the wanted rank with a margin of a few standard errors,
 * counts around both with staircase walks and keeps only the rows' ranges between them. Each round removes all but a
 * few percent of what is in play, so a handful of rounds bring 10^10 differences down to a few thousand, which are
 * then listed and sorted: O((n + m) log(nm)) in expectation, O(n + m) memory. The randomness (a fixed seed) affects
 * only the speed; the answer is always the exact k-th difference as computed in double arithmetic (a difference
 * is monotone in each operand, so the walks and the listed values agree), ties included.
 */
final class PairwiseDifferences {
    /** Below this many differences in play, list them and sort. */
    private static final int LIST_BELOW = 40_000;
    private static final int MAX_SAMPLE = 8192;

    private final double[] canary;
    private final double[] baseline;
    private final int n;
    private final int m;
    private final long total;
    // per row i (canary[i]): the columns in play, as positions r in the row's ascending order (r = m-1-j)
    private final int[] lo;
    private final int[] hi;
    private final int[] leA, ltA, leB, ltB;
    private long walkedLe, walkedLt; // the totals of the last walk
    private final SplittableRandom random = new SplittableRandom(0x5EED_D1FFL);
    private double[] listed; // every difference, sorted, when there are few enough to list once for all ranks

    /** @param sortedCanary and @param sortedBaseline ascending, without NaN; kept, not copied */
    PairwiseDifferences(double[] sortedCanary, double[] sortedBaseline) {
        if (sortedCanary.length == 0 || sortedBaseline.length == 0) throw new IllegalArgumentException("both samples need values");
        this.canary = sortedCanary;
        this.baseline = sortedBaseline;
        this.n = sortedCanary.length;
        this.m = sortedBaseline.length;
        this.total = (long) n * m;
        this.lo = new int[n];
        this.hi = new int[n];
        this.leA = new int[n];
        this.ltA = new int[n];
        this.leB = new int[n];
        this.ltB = new int[n];
    }

    long size() {
        return total;
    }

    /** The k-th smallest difference, 1-based. */
    double kth(long k) {
        if (k < 1 || k > total) throw new IllegalArgumentException("rank " + k + " outside 1.." + total);
        if (total <= LIST_BELOW) {
            if (listed == null) {
                Arrays.fill(lo, 0);
                Arrays.fill(hi, m);
                listed = list((int) total);
            }
            return listed[(int) (k - 1)];
        }
        Arrays.fill(lo, 0);
        Arrays.fill(hi, m);
        long below = 0; // differences left of the ranges in play
        long inPlay = total;
        while (true) {
            if (inPlay <= LIST_BELOW) return listAndPick(k - below, inPlay);
            int s = (int) Math.min(MAX_SAMPLE, Math.max(256, inPlay / 64));
            double[] sample = sample(s, inPlay);
            Arrays.sort(sample);
            double want = (double) (k - below) / inPlay * s; // where the k-th difference should fall in the sample
            double margin = 2.5 * Math.sqrt(s);
            int ia = (int) Math.floor(want - margin);
            int ib = (int) Math.ceil(want + margin);
            boolean hasA = ia >= 0, hasB = ib < s;
            double a = hasA ? sample[ia] : Double.NaN;
            double b = hasB ? sample[ib] : Double.NaN;
            long leTotalA = 0, ltTotalA = 0, leTotalB = 0, ltTotalB = 0;
            if (hasA) {
                walk(a, leA, ltA);
                leTotalA = walkedLe;
                ltTotalA = walkedLt;
            }
            if (hasB) {
                walk(b, leB, ltB);
                leTotalB = walkedLe;
                ltTotalB = walkedLt;
            }
            if (hasA && k <= ltTotalA) {
                System.arraycopy(ltA, 0, hi, 0, n); // the answer is below a
            } else if (hasA && k <= leTotalA) {
                return a + 0.0;
            } else if (hasB && k <= ltTotalB) {
                if (hasA) System.arraycopy(leA, 0, lo, 0, n); // strictly between a and b
                System.arraycopy(ltB, 0, hi, 0, n);
            } else if (hasB && k <= leTotalB) {
                return b + 0.0;
            } else {
                System.arraycopy(hasB ? leB : leA, 0, lo, 0, n); // above b (or above a when the sample had no b)
            }
            below = 0;
            inPlay = 0;
            for (int i = 0; i < n; i++) {
                below += lo[i];
                inPlay += hi[i] - lo[i];
            }
        }
    }

    /** The smallest difference greater than {@code x}, or NaN when there is none. */
    double smallestAbove(double x) {
        double best = Double.POSITIVE_INFINITY;
        int start = 0;
        for (int i = 0; i < n; i++) {
            // differences of row i that are <= x: baseline[start..m-1]; the next one up is baseline[start - 1]
            while (start < m && canary[i] - baseline[start] > x) start++;
            if (start > 0) best = Math.min(best, canary[i] - baseline[start - 1]);
        }
        return best == Double.POSITIVE_INFINITY ? Double.NaN : best + 0.0;
    }

    /** How many differences are {@code <= t}. */
    long countAtMost(double t) {
        long count = 0;
        int start = 0;
        for (double x : canary) {
            while (start < m && x - baseline[start] > t) start++;
            count += m - start;
        }
        return count;
    }

    /**
     * Per row, how many of its differences are <= t and < t, for a t inside the ranges in play: one staircase walk
     * for both. Both counts of row i lie within [lo[i], hi[i]] (everything left of the range is below every
     * difference in play, everything right of it above), so each pointer starts at the range and never scans
     * outside it: after the first round a walk costs about one step per row.
     */
    private void walk(double t, int[] le, int[] lt) {
        int sLe = 0, sLt = 0;
        long sumLe = 0, sumLt = 0;
        for (int i = 0; i < n; i++) {
            double x = canary[i];
            int from = m - hi[i], to = m - lo[i];
            // c - b[j] decreases in j, so {j : c - b[j] <= t} is a suffix whose start only moves right as c grows
            if (sLe < from) sLe = from;
            while (sLe < to && x - baseline[sLe] > t) sLe++;
            if (sLt < from) sLt = from;
            while (sLt < to && x - baseline[sLt] >= t) sLt++;
            le[i] = m - sLe;
            lt[i] = m - sLt;
            sumLe += m - sLe;
            sumLt += m - sLt;
        }
        walkedLe = sumLe;
        walkedLt = sumLt;
    }

    /**
     * A uniform sample (with replacement) of the differences in play: positions drawn uniformly over the rows'
     * ranges laid end to end, sorted, then resolved to rows in one sweep (no search per draw).
     */
    private double[] sample(int s, long inPlay) {
        long[] at = new long[s];
        for (int k = 0; k < s; k++) at[k] = random.nextLong(inPlay);
        Arrays.sort(at);
        double[] out = new double[s];
        long start = 0; // position of row i's first difference in play
        int k = 0;
        for (int i = 0; i < n && k < s; i++) {
            long end = start + (hi[i] - lo[i]);
            while (k < s && at[k] < end) {
                int r = lo[i] + (int) (at[k] - start);
                out[k++] = canary[i] - baseline[m - 1 - r];
            }
            start = end;
        }
        return out;
    }

    private double listAndPick(long rank, long inPlay) {
        return list((int) inPlay)[(int) (rank - 1)];
    }

    /** The differences in play, sorted; -0.0 becomes 0.0 (they count alike; report 0.0). */
    private double[] list(int inPlay) {
        double[] values = new double[inPlay];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int r = lo[i]; r < hi[i]; r++) values[k++] = canary[i] - baseline[m - 1 - r] + 0.0;
        }
        Arrays.sort(values);
        return values;
    }
}
