package io.stagedrollout.core.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;

class MannWhitneyTest {
    // Hollander and Wolfe (1973), p. 69: permeability constants of the human chorioamnion (R's wilcox.test example)
    static final double[] AT_TERM = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
    static final double[] EARLY = {1.15, 0.88, 0.90, 0.74, 1.21};

    @Test
    void agreesWithCommonsMathOnManyRandomSamples() {
        Random rnd = new Random(20261126);
        MannWhitneyUTest reference = new MannWhitneyUTest();
        for (int run = 0; run < 2000; run++) {
            int n = 1 + rnd.nextInt(run < 1000 ? 30 : 400);
            int m = 1 + rnd.nextInt(run < 1000 ? 30 : 400);
            double shift = rnd.nextGaussian() * 0.5;
            double[] canary = new double[n];
            double[] baseline = new double[m];
            for (int i = 0; i < n; i++) canary[i] = rnd.nextGaussian() + shift;
            for (int i = 0; i < m; i++) baseline[i] = rnd.nextGaussian() * (run % 3 == 0 ? 3 : 1);
            MannWhitney.Result r = MannWhitney.test(canary, baseline, Alternative.TWO_SIDED, MannWhitney.Options.PLAIN_NORMAL);
            assertThat(r.uMax()).isEqualTo(reference.mannWhitneyU(canary, baseline));
            assertThat(r.pValue()).as("run %d, n=%d m=%d", run, n, m)
                    .isCloseTo(reference.mannWhitneyUTest(canary, baseline), within(1e-9));
        }
    }

    @Test
    void uStatisticWithTiesAgreesWithCommonsMath() {
        Random rnd = new Random(7);
        MannWhitneyUTest reference = new MannWhitneyUTest();
        for (int run = 0; run < 500; run++) {
            double[] canary = new double[1 + rnd.nextInt(50)];
            double[] baseline = new double[1 + rnd.nextInt(50)];
            for (int i = 0; i < canary.length; i++) canary[i] = rnd.nextInt(6);
            for (int i = 0; i < baseline.length; i++) baseline[i] = rnd.nextInt(6);
            assertThat(MannWhitney.test(canary, baseline, Alternative.TWO_SIDED).uMax())
                    .isEqualTo(reference.mannWhitneyU(canary, baseline));
        }
    }

    @Test
    void largeSamplesAgreeWithCommonsMath() {
        // 100,000 values per group: n(n+1)/2 no longer fits an int
        Random rnd = new Random(99);
        double[] canary = new double[100_000];
        double[] baseline = new double[100_000];
        for (int i = 0; i < canary.length; i++) {
            canary[i] = rnd.nextGaussian() + 0.01;
            baseline[i] = rnd.nextGaussian();
        }
        double expected = new MannWhitneyUTest().mannWhitneyUTest(canary, baseline);
        assertThat(expected).isBetween(1e-6, 0.9);
        assertThat(MannWhitney.test(canary, baseline, Alternative.TWO_SIDED, MannWhitney.Options.PLAIN_NORMAL).pValue())
                .isCloseTo(expected, within(1e-9));
    }

    @Test
    void tiedLargeSamplesAgreeWithCommonsMathTo1e9UnderItsConventions() {
        // latency-like values at 0.1 ms resolution: many ties; Commons Math omits the tie correction, as PLAIN_NORMAL does
        Random rnd = new Random(2026);
        double[] canary = new double[100_000];
        double[] baseline = new double[100_000];
        for (int i = 0; i < canary.length; i++) {
            baseline[i] = Math.round(-Math.log(1 - rnd.nextDouble()) * 1000) / 10.0;
            canary[i] = Math.round(-Math.log(1 - rnd.nextDouble()) * 1015) / 10.0;
        }
        MannWhitneyUTest reference = new MannWhitneyUTest();
        MannWhitney.Result r = MannWhitney.test(canary, baseline, Alternative.TWO_SIDED, MannWhitney.Options.PLAIN_NORMAL);
        assertThat(r.ties()).isTrue();
        assertThat(r.uMax()).isEqualTo(reference.mannWhitneyU(canary, baseline));
        assertThat(r.pValue()).isCloseTo(reference.mannWhitneyUTest(canary, baseline), within(1e-9));
    }

    @Test
    void exactPValuesOfTheTextbookExample() {
        // R: wilcox.test(x, y, alternative = "g") gives W = 35, p-value = 0.1272
        MannWhitney.Result greater = MannWhitney.test(AT_TERM, EARLY, Alternative.GREATER);
        assertThat(greater.method()).isEqualTo(MannWhitney.Method.EXACT);
        assertThat(greater.u()).isEqualTo(35);
        assertThat(greater.pValue()).isCloseTo(0.1272061272061272, within(1e-12));
        assertThat(MannWhitney.test(AT_TERM, EARLY, Alternative.TWO_SIDED).pValue()).isCloseTo(0.2544122544122544, within(1e-12));
        assertThat(MannWhitney.test(AT_TERM, EARLY, Alternative.LESS).pValue()).isCloseTo(0.8967698967698967, within(1e-12));
    }

    @Test
    void exactDistributionMatchesEnumerationOfEveryArrangement() {
        for (int n = 1; n <= 7; n++) {
            for (int m = 1; m <= 7; m++) {
                long[] counts = new long[n * m + 1];
                int total = n + m;
                // every subset of positions 0..total-1 of size n is the first sample; U counts pairs where it is larger
                for (int mask = 0; mask < (1 << total); mask++) {
                    if (Integer.bitCount(mask) != n) continue;
                    int u = 0, seenSecond = 0;
                    for (int pos = 0; pos < total; pos++) {
                        if ((mask >> pos & 1) == 1) u += seenSecond; else seenSecond++;
                    }
                    counts[u]++;
                }
                long all = 0;
                for (long c : counts) all += c;
                ExactU dist = new ExactU(n, m);
                long run = 0;
                for (int u = 0; u <= n * m; u++) {
                    run += counts[u];
                    assertThat(dist.cdf(u)).as("n=%d m=%d u=%d", n, m, u).isCloseTo((double) run / all, within(1e-13));
                }
            }
        }
    }

    @Test
    void exactTailOfCompleteSeparationKeepsItsPrecision() {
        double[] canary = new double[30];
        double[] baseline = new double[30];
        for (int i = 0; i < 30; i++) {
            canary[i] = 100 + i;
            baseline[i] = i;
        }
        // every arrangement is equally likely: P(U = 900) = 1 / C(60, 30) = 8.45e-18, not 0 from 1 - (1 - tiny)
        double p = MannWhitney.test(canary, baseline, Alternative.GREATER).pValue();
        assertThat(p).isCloseTo(1 / 1.1826458156486142e17, within(1e-28));
    }

    @Test
    void tieCorrectedNormalApproximationWithContinuityCorrection() {
        double[] canary = {3, 4, 2, 6, 2, 5, 5, 7, 4, 3, 8, 6, 4, 5, 2};
        double[] baseline = {2, 1, 3, 3, 2, 4, 1, 2, 3, 5, 2, 1, 3};
        // reference values from scipy.stats.mannwhitneyu(method="asymptotic"), which applies the tie correction
        MannWhitney.Result g = MannWhitney.test(canary, baseline, Alternative.GREATER);
        assertThat(g.method()).isEqualTo(MannWhitney.Method.NORMAL);
        assertThat(g.ties()).isTrue();
        assertThat(g.u()).isEqualTo(157);
        assertThat(g.pValue()).isCloseTo(0.0028719756104830015, within(1e-12));
        assertThat(MannWhitney.test(canary, baseline, Alternative.TWO_SIDED).pValue()).isCloseTo(0.005743951220966003, within(1e-12));
        assertThat(MannWhitney.test(canary, baseline, Alternative.LESS).pValue()).isCloseTo(0.9975141784877669, within(1e-12));
        MannWhitney.Options noCorrection = new MannWhitney.Options(false, true);
        assertThat(MannWhitney.test(canary, baseline, Alternative.GREATER, noCorrection).pValue())
                .isCloseTo(0.0026726067838959613, within(1e-12));
        assertThat(MannWhitney.test(canary, baseline, Alternative.TWO_SIDED, noCorrection).pValue())
                .isCloseTo(0.0053452135677919226, within(1e-12));
    }

    @Test
    void largeSamplesUseTheNormalApproximation() {
        double[] canary = new double[60];
        double[] baseline = new double[70];
        Random rnd = new Random(3);
        for (int i = 0; i < canary.length; i++) canary[i] = 10 + rnd.nextGaussian();
        for (int i = 0; i < baseline.length; i++) baseline[i] = 10 + rnd.nextGaussian();
        assertThat(MannWhitney.test(canary, baseline, Alternative.TWO_SIDED).method()).isEqualTo(MannWhitney.Method.NORMAL);
    }

    @Test
    void identicalValuesGiveNoEvidence() {
        MannWhitney.Result r = MannWhitney.test(new double[] {1, 1, 1}, new double[] {1, 1, 1, 1}, Alternative.GREATER);
        assertThat(r.pValue()).isEqualTo(1.0);
    }
}
