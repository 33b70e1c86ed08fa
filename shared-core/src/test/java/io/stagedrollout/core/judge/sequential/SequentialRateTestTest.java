package io.stagedrollout.core.judge.sequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SequentialRateTestTest {
    private static IntervalCounts interval(long canaryRequests, long canaryErrors, long baselineRequests, long baselineErrors) {
        return new IntervalCounts(canaryRequests, canaryErrors, baselineRequests, baselineErrors);
    }

    @Test
    void pValueNeverIncreasesAsIntervalsArrive() {
        SequentialRateTest t = new SequentialRateTest(0.05, 1.5, Direction.INCREASE);
        SplittableRandom r = new SplittableRandom(7);
        double last = 1;
        for (int i = 0; i < 200; i++) {
            // canary errors bounce between good and bad intervals, so the evidence rises and falls
            t.add(interval(100, r.nextInt(0, 5), 900, r.nextInt(5, 15)));
            assertThat(t.pValue()).isLessThanOrEqualTo(last);
            last = t.pValue();
        }
    }

    @Test
    void aClearRegressionIsDetectedAndPValueIsAtMostAlpha() {
        SequentialRateTest t = new SequentialRateTest(0.01, 1.5, Direction.INCREASE);
        for (int i = 0; i < 5; i++) t.add(interval(1000, 40, 9000, 90));
        assertThat(t.regressionDetected()).isTrue();
        assertThat(t.pValue()).isLessThanOrEqualTo(0.01);
    }

    @Test
    void aBetterCanaryNeverFailsAnIncreaseTest() {
        SequentialRateTest t = new SequentialRateTest(0.05, 1.5, Direction.INCREASE);
        for (int i = 0; i < 100; i++) t.add(interval(1000, 2, 9000, 90));
        assertThat(t.regressionDetected()).isFalse();
        assertThat(t.pValue()).isEqualTo(1.0);
    }

    @Test
    void decreaseTestCatchesAFallingRate() {
        SequentialRateTest decrease = new SequentialRateTest(0.05, 1.5, Direction.DECREASE);
        SequentialRateTest increase = new SequentialRateTest(0.05, 1.5, Direction.INCREASE);
        for (int i = 0; i < 20; i++) {
            IntervalCounts c = interval(1000, 20, 9000, 900); // canary converts at 2%, baseline at 10%
            decrease.add(c);
            increase.add(c);
        }
        assertThat(decrease.regressionDetected()).isTrue();
        assertThat(increase.regressionDetected()).isFalse();
    }

    @Test
    void eitherTestCatchesBothWays() {
        SequentialRateTest up = new SequentialRateTest(0.05, 1.5, Direction.EITHER);
        SequentialRateTest down = new SequentialRateTest(0.05, 1.5, Direction.EITHER);
        for (int i = 0; i < 20; i++) {
            up.add(interval(1000, 40, 9000, 90));
            down.add(interval(1000, 2, 9000, 180));
        }
        assertThat(up.regressionDetected()).isTrue();
        assertThat(down.regressionDetected()).isTrue();
    }

    @Test
    void rejectsAlphaAndMinEffectOutOfRange() {
        assertThatThrownBy(() -> new SequentialRateTest(0, 1.5, Direction.INCREASE)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new SequentialRateTest(0.6, 1.5, Direction.INCREASE)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new SequentialRateTest(0.05, 1.0, Direction.INCREASE)).hasMessageContaining("minEffect");
    }

    @Test
    void countsWithMoreErrorsThanRequestsAreRejected() {
        assertThatThrownBy(() -> interval(10, 11, 100, 1)).hasMessageContaining("errors exceed requests");
        assertThatThrownBy(() -> interval(-1, 0, 100, 1)).hasMessageContaining("negative");
    }
}
