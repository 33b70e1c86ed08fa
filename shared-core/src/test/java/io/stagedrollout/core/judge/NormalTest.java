package io.stagedrollout.core.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class NormalTest {
    private final NormalDistribution reference = new NormalDistribution(0, 1);

    @Test
    void cdfAgreesWithCommonsMathAcrossTheRange() {
        for (double z = -12; z <= 12; z += 0.01) {
            assertThat(Normal.cdf(z)).as("z=%f", z).isCloseTo(reference.cumulativeProbability(z), within(1e-14));
        }
    }

    @Test
    void upperTailKeepsRelativePrecision() {
        for (double z = 3; z <= 30; z += 0.5) {
            double expected = reference.cumulativeProbability(-z);
            assertThat(Normal.upperTail(z)).as("z=%f", z).isCloseTo(expected, within(expected * 1e-9));
        }
    }

    @Test
    void quantileInvertsTheCdf() {
        // Phi^-1(1e-10) = -6.361340902404056 (scipy.stats.norm.ppf; Commons Math is only accurate to ~1e-8 there)
        assertThat(Normal.quantile(1e-10)).isCloseTo(-6.361340902404056, within(1e-12));
        for (double p : new double[] {0.001, 0.01, 0.025, 0.2, 0.5, 0.8, 0.975, 0.99, 0.999}) {
            assertThat(Normal.quantile(p)).as("p=%f", p).isCloseTo(reference.inverseCumulativeProbability(p), within(1e-9));
        }
        assertThat(Normal.quantile(0.975)).isCloseTo(1.959963984540054, within(1e-12));
    }
}
