package io.stagedrollout.core.judge.sequential;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.simulate.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SequentialAnalysisTest {
    @Test
    void eachBoundHoldsTheTrueRatioAtEveryIntervalInAtLeastOneMinusAlphaOfBakes() {
        double alpha = 0.1;
        int runs = 300;
        Scenario twice = new Scenario(20, 0.2, 0.01, 2.0, 60, 40);
        SplittableRandom root = new SplittableRandom(11);
        int lowerMissed = 0, upperMissed = 0;
        for (int r = 0; r < runs; r++) {
            RatioConfidenceSequence cs = new RatioConfidenceSequence(alpha, 1.5);
            boolean lowerMiss = false, upperMiss = false;
            for (IntervalCounts c : twice.simulate(root.split())) {
                cs.add(c);
                RatioInterval i = cs.interval();
                lowerMiss |= i == null || (!i.lowOpen() && i.low() > 2.0);
                upperMiss |= i == null || (!i.highOpen() && i.high() < 2.0);
            }
            if (lowerMiss) lowerMissed++;
            if (upperMiss) upperMissed++;
        }
        // Monte Carlo margin: three standard errors of a rate alpha over `runs` bakes
        double margin = 3 * Math.sqrt(alpha * (1 - alpha) / runs);
        assertThat((double) lowerMissed / runs).isLessThanOrEqualTo(alpha + margin);
        assertThat((double) upperMissed / runs).isLessThanOrEqualTo(alpha + margin);
    }

    @Test
    void lowerBoundExceedsOneExactlyWhenTheIncreaseTestFails() {
        SplittableRandom random = new SplittableRandom(8);
        int detected = 0;
        for (int run = 0; run < 100; run++) {
            SequentialRateTest test = new SequentialRateTest(0.05, 1.5, Direction.INCREASE);
            RatioConfidenceSequence cs = new RatioConfidenceSequence(0.05, 1.5);
            for (IntervalCounts c : new Scenario(10, 0.1, 0.02, 1.6, 60, 30).simulate(random.split())) {
                test.add(c);
                cs.add(c);
                RatioInterval i = cs.interval();
                boolean excludesOne = i != null && !i.lowOpen() && i.low() > 1.0;
                assertThat(excludesOne).isEqualTo(test.regressionDetected());
            }
            if (test.regressionDetected()) detected++;
        }
        assertThat(detected).isBetween(10, 90);
    }

    @Test
    void aLongHealthyBakeRulesOutTheRegressionAndSaysSo() {
        List<IntervalCounts> h = new ArrayList<>();
        for (int i = 0; i < 60; i++) h.add(new IntervalCounts(2500, 25, 7500, 75));
        SequentialAnalysis a = SequentialAnalysis.of(h, 0.05, 1.5, Direction.INCREASE);
        assertThat(a.regressionDetected()).isFalse();
        assertThat(a.regressionRuledOut()).isTrue();
        assertThat(a.interval().high()).isLessThan(1.5);
        assertThat(a.estimate()).isBetween(0.95, 1.05);
        assertThat(a.explain()).contains("1.5x regression is ruled out").contains("always-valid p");
    }

    @Test
    void explanationNamesRatesIntervalAndDecision() {
        List<IntervalCounts> h = List.of(new IntervalCounts(2000, 42, 39800, 398), new IntervalCounts(2000, 40, 39800, 400));
        SequentialAnalysis a = SequentialAnalysis.of(h, 0.05, 1.5, Direction.INCREASE);
        assertThat(a.regressionDetected()).isTrue();
        assertThat(a.explain()).startsWith("canary 2.05% (82/4000) vs baseline 1% (798/79600), ratio 2.")
                .contains("always-valid 95% bounds [").contains("<= alpha 0.05 after 2 intervals: regression (increase)");
    }
}
