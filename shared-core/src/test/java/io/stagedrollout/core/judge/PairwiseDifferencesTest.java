package io.stagedrollout.core.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Selection among the n*m differences gives exactly what sorting all of them gives, ties and signs included. */
class PairwiseDifferencesTest {
    private static double[] sorted(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s;
    }

    private static double[] allDifferences(double[] c, double[] b) {
        double[] d = new double[c.length * b.length];
        int k = 0;
        for (double x : c) for (double y : b) d[k++] = x - y;
        Arrays.sort(d);
        return d;
    }

    private static void agreesAtEveryProbedRank(double[] canary, double[] baseline, int probes, SplittableRandom r) {
        double[] c = sorted(canary), b = sorted(baseline);
        double[] all = allDifferences(c, b);
        PairwiseDifferences d = new PairwiseDifferences(c, b);
        long total = all.length;
        long[] ranks = new long[probes + 4];
        ranks[0] = 1;
        ranks[1] = total;
        ranks[2] = (total + 1) / 2;
        ranks[3] = total / 2 + 1;
        for (int i = 4; i < ranks.length; i++) ranks[i] = 1 + r.nextLong(total);
        for (long k : ranks) {
            assertThat(d.kth(k)).as("rank %d of %d", k, total).isEqualTo(all[(int) (k - 1)] + 0.0);
        }
        assertThat(d.countAtMost(all[(int) (total / 2)])).isEqualTo(upperBound(all, all[(int) (total / 2)]));
    }

    private static long upperBound(double[] sortedAll, double x) {
        long n = 0;
        for (double v : sortedAll) if (v <= x) n++;
        return n;
    }

    @Test
    void continuousSamplesOfManySizes() {
        SplittableRandom r = new SplittableRandom(17);
        for (int run = 0; run < 40; run++) {
            int n = 1 + r.nextInt(run < 20 ? 30 : 400), m = 1 + r.nextInt(run < 20 ? 30 : 400);
            double[] c = new double[n], b = new double[m];
            for (int i = 0; i < n; i++) c[i] = r.nextDouble() * 100 - 20;
            for (int j = 0; j < m; j++) b[j] = r.nextDouble() * 80;
            agreesAtEveryProbedRank(c, b, 20, r);
        }
    }

    @Test
    void heavilyTiedSamples() {
        SplittableRandom r = new SplittableRandom(23);
        for (int run = 0; run < 30; run++) {
            int n = 50 + r.nextInt(400), m = 50 + r.nextInt(400);
            double[] c = new double[n], b = new double[m];
            for (int i = 0; i < n; i++) c[i] = r.nextInt(10) < 8 ? 0 : r.nextInt(3);
            for (int j = 0; j < m; j++) b[j] = r.nextInt(10) < 9 ? 0 : r.nextInt(3);
            agreesAtEveryProbedRank(c, b, 20, r);
        }
    }

    @Test
    void aMillionDifferencesAreSelectedWithoutListingThem() {
        SplittableRandom r = new SplittableRandom(29);
        double[] c = new double[1200], b = new double[1000];
        for (int i = 0; i < c.length; i++) c[i] = Math.round(-Math.log(1 - r.nextDouble()) * 1000) / 10.0;
        for (int j = 0; j < b.length; j++) b[j] = Math.round(-Math.log(1 - r.nextDouble()) * 900) / 10.0;
        agreesAtEveryProbedRank(c, b, 30, r);
    }

    @Test
    void theSmallestDifferenceAboveAValue() {
        double[] c = {1, 4, 9}, b = {0, 2};
        // differences: -1, 1, 2, 4, 7, 9
        PairwiseDifferences d = new PairwiseDifferences(c, b);
        assertThat(d.smallestAbove(1)).isEqualTo(2);
        assertThat(d.smallestAbove(1.5)).isEqualTo(2);
        assertThat(d.smallestAbove(-5)).isEqualTo(-1);
        assertThat(d.smallestAbove(9)).isNaN();
    }
}
