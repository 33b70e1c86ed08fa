package io.stagedrollout.core.judge.sequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The per-interval likelihood ratios are e-values: expectation 1 (or less) under the null, exactly. */
class RatioLikelihoodTest {
    private static final double[] GRID = {0, -1.2, -0.4, 0.2, 0.405, 0.69, 1.6, 3};

    /** exp(L(u) - L(0)) after one interval in which the canary had x of the m errors. */
    private static double likelihoodRatio(long a, long b, long m, long x, int j) {
        RatioLikelihood l = new RatioLikelihood(GRID);
        l.add(new IntervalCounts(a, x, b, m - x));
        return Math.exp(l.logLik(j) - l.logLik(0));
    }

    private static double logChoose(long n, long k) {
        return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
    }

    private static double logFactorial(long n) {
        double s = 0;
        for (long i = 2; i <= n; i++) s += Math.log(i);
        return s;
    }

    @Test
    void likelihoodRatioHasExpectationOneWhenErrorsArePoisson() {
        long a = 300, b = 700, m = 20;
        double theta = 0.3;
        for (int j = 1; j < GRID.length; j++) {
            double expectation = 0;
            for (long x = 0; x <= m; x++) {
                double p = Math.exp(logChoose(m, x) + x * Math.log(theta) + (m - x) * Math.log(1 - theta));
                expectation += p * likelihoodRatio(a, b, m, x, j);
            }
            assertThat(expectation).as("u=%s", GRID[j]).isCloseTo(1.0, within(1e-9));
        }
    }

    @Test
    void likelihoodRatioHasExpectationAtMostOneWhenEachRequestErrsIndependently() {
        // equal error probabilities and the margins fixed: the canary's share of errors is hypergeometric
        long a = 30, b = 70, m = 12;
        for (int j = 1; j < GRID.length; j++) {
            double expectation = 0;
            for (long x = 0; x <= m; x++) {
                double p = Math.exp(logChoose(a, x) + logChoose(b, m - x) - logChoose(a + b, m));
                expectation += p * likelihoodRatio(a, b, m, x, j);
            }
            assertThat(expectation).as("u=%s", GRID[j]).isLessThanOrEqualTo(1.0 + 1e-12);
        }
    }

    @Test
    void aBetterCanaryGivesIncreaseAlternativesExpectationBelowOne() {
        long a = 500, b = 500, m = 30;
        double theta = 0.5 * a / (0.5 * a + b); // the canary errs half as often
        for (int j = 3; j < GRID.length; j++) {
            double expectation = 0;
            for (long x = 0; x <= m; x++) {
                double p = Math.exp(logChoose(m, x) + x * Math.log(theta) + (m - x) * Math.log(1 - theta));
                expectation += p * likelihoodRatio(a, b, m, x, j);
            }
            assertThat(expectation).as("u=%s", GRID[j]).isLessThan(1.0);
        }
    }

    @Test
    void intervalsWithoutErrorsOrWithoutTrafficCarryNoEvidence() {
        RatioLikelihood l = new RatioLikelihood(GRID);
        l.add(new IntervalCounts(100, 0, 900, 0));
        l.add(new IntervalCounts(0, 0, 900, 9));
        for (int j = 0; j < GRID.length; j++) assertThat(l.logLik(j)).isZero();
    }
}
