package io.stagedrollout.core.judge.sequential;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.simulate.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SequentialAnalysisTest {
    @Test
    void confidenceSequenceHoldsTheTrueRatioAtEveryIntervalInAtLeastOneMinusAlphaOfBakes() {
        double alpha = 0.1;
        int runs = 200;
        Scenario twice = new Scenario(20, 0.2, 0.01, 2.0, 60, 40);
        SplittableRandom root = new SplittableRandom(11);
        int missed = 0;
        for (int r = 0; r < runs; r++) {
            RatioConfidenceSequence cs = new RatioConfidenceSequence(alpha, Math.log(1.5));
            boolean miss = false;
            for (IntervalCounts c : twice.simulate(root.split())) {
                cs.add(c);
                RatioInterval i = cs.interval();
                if (i == null || !i.contains(2.0)) miss = true;
            }
            if (miss) missed++;
        }
        // Monte Carlo margin: three standard errors of a rate alpha over `runs` bakes
        assertThat((double) missed / runs).isLessThanOrEqualTo(alpha + 3 * Math.sqrt(alpha * (1 - alpha) / runs));
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
                .contains("95% confidence sequence [").contains("<= alpha 0.05 after 2 intervals: regression (increase)");
    }
}
