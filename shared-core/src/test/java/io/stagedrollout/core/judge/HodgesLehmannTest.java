package io.stagedrollout.core.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HodgesLehmannTest {
    @Test
    void textbookExampleMatchesR() {
        // R: wilcox.test(x, y, conf.int = TRUE): difference in location 0.305, 95 percent CI -0.15 0.76
        HodgesLehmann.Estimate e = HodgesLehmann.estimate(MannWhitneyTest.AT_TERM, MannWhitneyTest.EARLY, 0.95, MannWhitney.Method.EXACT);
        assertThat(e.shift()).isCloseTo(0.305, within(1e-12));
        assertThat(e.lower()).isCloseTo(-0.15, within(1e-12));
        assertThat(e.upper()).isCloseTo(0.76, within(1e-12));
        assertThat(e.achievedConfidence()).isCloseTo(0.9600399600399601, within(1e-12));
    }

    @Test
    void kthDifferenceEqualsSortingAllDifferences() {
        Random rnd = new Random(11);
        for (int run = 0; run < 300; run++) {
            double[] c = new double[1 + rnd.nextInt(40)];
            double[] b = new double[1 + rnd.nextInt(40)];
            boolean ties = run % 2 == 0;
            for (int i = 0; i < c.length; i++) c[i] = ties ? rnd.nextInt(5) - 2 : rnd.nextGaussian() * 1e3;
            for (int i = 0; i < b.length; i++) b[i] = ties ? rnd.nextInt(5) - 2 : rnd.nextGaussian() * 1e-3;
            double[] all = new double[c.length * b.length];
            int k = 0;
            for (double x : c) for (double y : b) all[k++] = x - y;
            Arrays.sort(all);
            HodgesLehmann.Estimate e = HodgesLehmann.estimate(c, b, 0.9, MannWhitney.Method.NORMAL);
            int nm = all.length;
            double median = nm % 2 == 1 ? all[nm / 2] : (all[nm / 2 - 1] + all[nm / 2]) / 2;
            assertThat(e.shift()).as("run %d", run).isEqualTo(median);
            assertThat(e.lower()).isIn((Object[]) box(all));
            assertThat(e.lower()).isLessThanOrEqualTo(e.shift());
            assertThat(e.upper()).isGreaterThanOrEqualTo(e.shift());
        }
    }

    @Test
    void intervalCoversTheTrueShiftAtAboutTheConfidenceLevel() {
        Random rnd = new Random(5);
        int covered = 0, runs = 2000;
        for (int run = 0; run < runs; run++) {
            double[] c = new double[80];
            double[] b = new double[90];
            for (int i = 0; i < c.length; i++) c[i] = rnd.nextGaussian() + 0.7;
            for (int i = 0; i < b.length; i++) b[i] = rnd.nextGaussian();
            HodgesLehmann.Estimate e = HodgesLehmann.estimate(c, b, 0.9, MannWhitney.Method.NORMAL);
            if (e.lower() <= 0.7 && 0.7 <= e.upper()) covered++;
        }
        // binomial sd at 0.9 over 2000 runs is 0.0067; allow four of them
        assertThat(covered / (double) runs).isCloseTo(0.9, within(0.027));
    }

    private static Double[] box(double[] v) {
        return Arrays.stream(v).boxed().toArray(Double[]::new);
    }
}
