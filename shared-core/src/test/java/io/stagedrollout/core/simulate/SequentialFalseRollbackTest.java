package io.stagedrollout.core.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reason the sequential gate exists: on A/A traffic (the canary is as good as the baseline) it rolls back at
 * most alpha of the bakes even though it looks after every one of 60 intervals, while a fixed-sample test repeated
 * after every interval on the very same traffic rolls back far more often.
 */
class SequentialFalseRollbackTest {
    private static final int RUNS = 2000;
    private static final Scenario AA = new Scenario(10, 0.25, 0.01, 1.0, 60, 60);
    private static final Scenario AA_BUSY = new Scenario(100, 0.05, 0.02, 1.0, 30, 120);

    /** Three standard errors of a binomial rate alpha over RUNS bakes. */
    private static double margin(double alpha) {
        return 3 * Math.sqrt(alpha * (1 - alpha) / RUNS);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.05, 0.1})
    void falseRollbackRateStaysWithinAlphaWhenCheckedEveryInterval(double alpha) {
        List<RuleOutcome> o = DetectionStudy.run(AA, List.of(new SequentialRule(alpha, 1.5)), RUNS, 1000 + (long) (alpha * 1000));
        assertThat(o.get(0).rollbackRate()).isLessThanOrEqualTo(alpha + margin(alpha));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.05})
    void falseRollbackRateStaysWithinAlphaOverAHundredAndTwentyBusyIntervals(double alpha) {
        List<RuleOutcome> o = DetectionStudy.run(AA_BUSY, List.of(new SequentialRule(alpha, 1.2)), RUNS, 77);
        assertThat(o.get(0).rollbackRate()).isLessThanOrEqualTo(alpha + margin(alpha));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.05, 0.1})
    void aPValueCheckedEveryIntervalExceedsAlphaOnTheSameTraffic(double alpha) {
        List<RuleOutcome> o = DetectionStudy.run(AA, List.of(new SequentialRule(alpha, 1.5), new RepeatedTestRule(alpha)),
                RUNS, 1000 + (long) (alpha * 1000));
        double sequential = o.get(0).rollbackRate(), naive = o.get(1).rollbackRate();
        assertThat(naive).isGreaterThan(alpha + margin(alpha)).isGreaterThan(2 * alpha).isGreaterThan(sequential);
    }
}
