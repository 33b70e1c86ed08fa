package io.stagedrollout.core.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

class TwoProportionPowerTest {
    @Test
    void equalAllocationTextbookValue() {
        // Fleiss, Levin and Paik (2003), the uncorrected formula: 5% against 10%, two-sided 0.05, power 0.8 -> 435 per group
        double n = TwoProportionPower.canaryRequests(0.05, 0.10, 1, 0.05, 0.8, true);
        assertThat(Math.ceil(n)).isEqualTo(435);
        assertThat(n).isCloseTo(434.43, within(0.01));
    }

    @Test
    void powerInvertsTheSampleSize() {
        for (double k : new double[] {1, 3, 19, 99, Double.POSITIVE_INFINITY}) {
            double n = TwoProportionPower.canaryRequests(0.005, 0.01, k, 0.05, 0.8, false);
            assertThat(TwoProportionPower.power(0.005, 0.01, k, 0.05, n, false)).as("k=%f", k).isCloseTo(0.8, within(1e-9));
        }
    }

    @Test
    void moreBaselineTrafficNeedsFewerCanaryRequests() {
        double equal = TwoProportionPower.canaryRequests(0.01, 0.02, 1, 0.05, 0.8, false);
        double small = TwoProportionPower.canaryRequests(0.01, 0.02, 19, 0.05, 0.8, false);
        double known = TwoProportionPower.canaryRequests(0.01, 0.02, Double.POSITIVE_INFINITY, 0.05, 0.8, false);
        assertThat(equal).isGreaterThan(small);
        assertThat(small).isGreaterThan(known);
    }

    /** Runs the pooled one-sided two-proportion z-test many times; returns the share of trials that reject. */
    private static double simulate(double p0, double p1, int n1, int n0, double alpha, int trials, long seed) {
        Well19937c rng = new Well19937c(seed);
        BinomialDistribution canary = new BinomialDistribution(rng, n1, p1);
        BinomialDistribution baseline = new BinomialDistribution(rng, n0, p0);
        double z = new NormalDistribution(0, 1).inverseCumulativeProbability(1 - alpha);
        int reject = 0;
        for (int t = 0; t < trials; t++) {
            double x1 = canary.sample();
            double x0 = baseline.sample();
            double pooled = (x1 + x0) / (n1 + n0);
            double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n0));
            if (se > 0 && (x1 / n1 - x0 / n0) / se > z) reject++;
        }
        return reject / (double) trials;
    }

    @Test
    void simulatedTestReachesThePowerTheFormulaPromises() {
        // a 10% canary ring: nine baseline requests per canary request; error rate 2% doubling to 4%
        double n = TwoProportionPower.canaryRequests(0.02, 0.04, 9, 0.05, 0.8, false);
        int n1 = (int) Math.ceil(n);
        double power = simulate(0.02, 0.04, n1, 9 * n1, 0.05, 4000, 42);
        // Monte Carlo sd at 0.8 over 4000 trials is 0.0063; the normal approximation itself is good to ~0.01 here
        assertThat(power).isCloseTo(0.8, within(0.03));
    }

    @Test
    void simulatedTestKeepsItsFalseAlarmRate() {
        double n = TwoProportionPower.canaryRequests(0.02, 0.04, 9, 0.05, 0.8, false);
        int n1 = (int) Math.ceil(n);
        assertThat(simulate(0.02, 0.02, n1, 9 * n1, 0.05, 4000, 43)).isCloseTo(0.05, within(0.015));
    }

    @Test
    void halfTheRequestsGiveLessPowerInSimulationAndFormulaAlike() {
        double n = TwoProportionPower.canaryRequests(0.02, 0.04, 9, 0.05, 0.8, false);
        int half = (int) Math.ceil(n / 2);
        double predicted = TwoProportionPower.power(0.02, 0.04, 9, 0.05, half, false);
        assertThat(predicted).isLessThan(0.6);
        assertThat(simulate(0.02, 0.04, half, 9 * half, 0.05, 4000, 44)).isCloseTo(predicted, within(0.035));
    }
}
