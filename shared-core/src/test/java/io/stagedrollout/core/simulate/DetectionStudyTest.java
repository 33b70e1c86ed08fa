package io.stagedrollout.core.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.judge.sequential.IntervalCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DetectionStudyTest {
    private static final Scenario DOUBLED = new Scenario(10, 0.05, 0.01, 2.0, 60, 60);
    private static final List<DetectionRule> RULES = List.of(new ThresholdRule(0.03, 1), new MannWhitneyJudgeRule(10, 0.01),
            new SequentialRule(0.05, 1.5), new RepeatedTestRule(0.05));

    @Test
    void sameSeedGivesTheSameFigures() {
        assertThat(DetectionStudy.run(DOUBLED, RULES, 200, 99)).isEqualTo(DetectionStudy.run(DOUBLED, RULES, 200, 99));
        assertThat(DOUBLED.simulate(new SplittableRandom(5))).isEqualTo(DOUBLED.simulate(new SplittableRandom(5)));
    }

    @Test
    void anotherSeedGivesOtherTraffic() {
        assertThat(DOUBLED.simulate(new SplittableRandom(5))).isNotEqualTo(DOUBLED.simulate(new SplittableRandom(6)));
        assertThat(DetectionStudy.run(DOUBLED, RULES, 200, 99)).isNotEqualTo(DetectionStudy.run(DOUBLED, RULES, 200, 100));
    }

    @Test
    void simulatedTrafficSplitsByExposureAndErrsAtTheScenarioRates() {
        Scenario s = new Scenario(100, 0.25, 0.02, 3.0, 60, 600);
        long cr = 0, ce = 0, br = 0, be = 0;
        for (IntervalCounts c : s.simulate(new SplittableRandom(1))) {
            cr += c.canaryRequests();
            ce += c.canaryErrors();
            br += c.baselineRequests();
            be += c.baselineErrors();
        }
        assertThat((double) (cr + br) / (600 * 60)).isBetween(99.0, 101.0);
        assertThat((double) cr / (cr + br)).isBetween(0.245, 0.255);
        assertThat((double) ce / cr).isBetween(0.057, 0.063);
        assertThat((double) be / br).isBetween(0.019, 0.021);
    }

    @Test
    void thresholdRuleRollsBackWhenFailuresExceedTheFailureLimit() {
        List<IntervalCounts> t = new ArrayList<>();
        t.add(new IntervalCounts(100, 5, 900, 9)); // 0.05 > 0.03: first failure, within failureLimit 1
        t.add(new IntervalCounts(0, 0, 900, 9)); // no canary requests: no measurement
        t.add(new IntervalCounts(100, 1, 900, 9));
        t.add(new IntervalCounts(100, 4, 900, 9)); // second failure
        assertThat(new ThresholdRule(0.03, 1).rollbackAfter(t)).isEqualTo(4);
        assertThat(new ThresholdRule(0.03, 0).rollbackAfter(t)).isEqualTo(1);
        assertThat(new ThresholdRule(0.03, 2).rollbackAfter(t)).isZero();
    }

    @Test
    void judgeRuleDecidesOnlyAtItsJudgementPoints() {
        List<IntervalCounts> t = new ArrayList<>();
        for (int i = 0; i < 20; i++) t.add(new IntervalCounts(100, 10 + i % 3, 900, 9 + i % 2));
        assertThat(new MannWhitneyJudgeRule(10, 0.01).rollbackAfter(t)).isEqualTo(10);
        assertThat(new MannWhitneyJudgeRule(10, 0.01).rollbackAfter(t.subList(0, 9))).isZero();
    }

    @Test
    void calibrationPicksTheLoosestSettingWithinTheTargetRate() {
        Scenario aa = new Scenario(100, 0.25, 0.01, 1.0, 60, 60);
        ThresholdRule t = Calibration.threshold(aa, 1, 0.05, 400, 3);
        List<RuleOutcome> o = DetectionStudy.run(aa, List.of(t, new ThresholdRule(t.max() * 0.8, 1)), 400, 3);
        assertThat(o.get(0).rollbackRate()).isLessThanOrEqualTo(0.05);
        assertThat(t.max()).isGreaterThan(0.01);
    }
}
