package io.stagedrollout.core.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PoissonTest {
    @ParameterizedTest
    @ValueSource(doubles = {0.3, 4, 9.99, 10, 37.5, 600, 25000})
    void samplesHaveThePoissonMeanAndVariance(double mean) {
        SplittableRandom r = new SplittableRandom(42);
        int n = 40_000;
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++) {
            long k = Poisson.sample(r, mean);
            assertThat(k).isNotNegative();
            sum += k;
            sumSq += (double) k * k;
        }
        double m = sum / n, var = sumSq / n - m * m;
        // four standard errors of the sample mean and of the sample variance (var of s^2 ~ (2 mean^2 + mean) / n)
        assertThat(m).isCloseTo(mean, org.assertj.core.api.Assertions.within(4 * Math.sqrt(mean / n)));
        assertThat(var).isCloseTo(mean, org.assertj.core.api.Assertions.within(4 * Math.sqrt((2 * mean * mean + mean) / n)));
    }

    @ParameterizedTest
    @ValueSource(doubles = {12, 150})
    void probabilityOfTheModeMatchesThePmf(double mean) {
        SplittableRandom r = new SplittableRandom(3);
        int n = 100_000;
        long mode = (long) Math.floor(mean);
        int hits = 0;
        for (int i = 0; i < n; i++) if (Poisson.sample(r, mean) == mode) hits++;
        double pmf = Math.exp(-mean + mode * Math.log(mean) - Poisson.logFactorial(mode));
        assertThat((double) hits / n).isCloseTo(pmf, org.assertj.core.api.Assertions.within(4 * Math.sqrt(pmf / n)));
    }
}
