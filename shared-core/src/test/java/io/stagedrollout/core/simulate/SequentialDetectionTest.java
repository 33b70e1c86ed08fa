package io.stagedrollout.core.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Power and time to detect on known effects (one-minute intervals, 1% baseline error rate, one-hour bake). */
class SequentialDetectionTest {
    private static final int RUNS = 500;

    private static RuleOutcome sequential(double rate, double exposure, double regression) {
        Scenario s = new Scenario(rate, exposure, 0.01, regression, 60, 60);
        return DetectionStudy.run(s, List.of(new SequentialRule(0.05, 1.5)), RUNS, 5).get(0);
    }

    @Test
    void twoTimesRegressionAtTwentyFivePercentOfTenRequestsPerSecondIsCaughtWithinFifteenMinutes() {
        RuleOutcome o = sequential(10, 0.25, 2.0);
        assertThat(o.rollbackRate()).isGreaterThanOrEqualTo(0.97);
        assertThat(o.medianMinutesToDetect()).isLessThanOrEqualTo(15);
    }

    @Test
    void fiveTimesRegressionAtFivePercentOfAHundredRequestsPerSecondIsCaughtInTwoMinutes() {
        RuleOutcome o = sequential(100, 0.05, 5.0);
        assertThat(o.rollbackRate()).isEqualTo(1.0);
        assertThat(o.medianMinutesToDetect()).isLessThanOrEqualTo(2);
    }

    @Test
    void smallRegressionOnLittleTrafficIsMostlyMissedRatherThanGuessed() {
        RuleOutcome o = sequential(1, 0.01, 1.5);
        assertThat(o.rollbackRate()).isLessThan(0.05);
    }

    @Test
    void twoTimesRegressionIsCaughtSoonerThanByTunedThresholdAndJudge() {
        Scenario aa = new Scenario(100, 0.05, 0.01, 1.0, 60, 60);
        ThresholdRule threshold = Calibration.threshold(aa, 1, 0.05, 1000, 21);
        MannWhitneyJudgeRule judge = Calibration.judge(aa, 10, 0.05, 1000, 22);
        List<RuleOutcome> o = DetectionStudy.run(aa.withRegression(2.0),
                List.of(threshold, judge, new SequentialRule(0.05, 1.5)), RUNS, 23);
        assertThat(o.get(2).rollbackRate()).isGreaterThanOrEqualTo(Math.max(o.get(0).rollbackRate(), o.get(1).rollbackRate()));
        assertThat(o.get(2).medianMinutesToDetect())
                .isLessThan(o.get(0).medianMinutesToDetect())
                .isLessThan(o.get(1).medianMinutesToDetect());
        assertThat(o.get(2).meanCanaryRequests()).isLessThan(Math.min(o.get(0).meanCanaryRequests(), o.get(1).meanCanaryRequests()));
    }
}
