package io.stagedrollout.core.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricJudgeTest {
    static MetricSpec spec(Direction d) {
        return new MetricSpec("latency", null, d, 1.0, 1.0, null, null, false, 1, MetricSpec.NanPolicy.REMOVE,
                MetricSpec.OutlierPolicy.KEEP, 3.0, 5);
    }

    static MetricSpec with(MetricSpec s, double allowedIncrease, Double criticalIncrease, boolean critical) {
        return new MetricSpec(s.name(), s.source(), s.direction(), allowedIncrease, s.allowedDecrease(), criticalIncrease,
                s.criticalDecrease(), critical, s.weight(), s.nan(), s.outliers(), s.outlierFactor(), s.minSamples());
    }

    static double[] normal(Random rnd, int n, double mean, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = mean + sd * rnd.nextGaussian();
        return v;
    }

    private static MetricResult judge(MetricSpec spec, double[] canary, double[] baseline) {
        return MetricJudge.classify(spec, new Samples(canary, baseline, "test"), 0.98, 0.25);
    }

    @Test
    void clearIncreaseIsHigh() {
        Random rnd = new Random(1);
        MetricResult r = judge(spec(Direction.INCREASE), normal(rnd, 60, 150, 10), normal(rnd, 60, 100, 10));
        assertThat(r.classification()).isEqualTo(MetricClass.HIGH);
        assertThat(r.reason()).contains("HIGH", "canary median", "CI", "p=", "mean ratio", "allowedIncrease 1");
        assertThat(r.pValue()).isLessThan(1e-6);
        assertThat(r.lower()).isGreaterThan(0);
    }

    @Test
    void increaseIsIgnoredWhenOnlyDecreasesMatter() {
        Random rnd = new Random(2);
        MetricResult r = judge(spec(Direction.DECREASE), normal(rnd, 60, 150, 10), normal(rnd, 60, 100, 10));
        assertThat(r.classification()).isEqualTo(MetricClass.PASS);
        assertThat(r.reason()).contains("harmless direction");
    }

    @Test
    void clearDecreaseIsLowForEither() {
        Random rnd = new Random(3);
        MetricResult r = judge(spec(Direction.EITHER), normal(rnd, 60, 50, 5), normal(rnd, 60, 100, 10));
        assertThat(r.classification()).isEqualTo(MetricClass.LOW);
    }

    @Test
    void sameDistributionPasses() {
        Random rnd = new Random(4);
        MetricResult r = judge(spec(Direction.EITHER), normal(rnd, 60, 100, 10), normal(rnd, 60, 100, 10));
        assertThat(r.classification()).isEqualTo(MetricClass.PASS);
        assertThat(r.reason()).contains("no significant shift");
    }

    @Test
    void significantIncreaseWithinAllowedIncreasePasses() {
        Random rnd = new Random(5);
        MetricResult r = judge(with(spec(Direction.INCREASE), 1.1, null, false), normal(rnd, 200, 105, 2), normal(rnd, 200, 100, 2));
        assertThat(r.lower()).isGreaterThan(0);
        assertThat(r.classification()).isEqualTo(MetricClass.PASS);
        assertThat(r.reason()).contains("within allowedIncrease 1.1");
    }

    @Test
    void toleranceAsksTheIntervalToClearAShareOfTheShift() {
        // Kayenta's rule: HIGH only when the interval's lower end exceeds tolerance * |estimate|, not merely zero
        Random rnd = new Random(9);
        double[] canary = normal(rnd, 300, 101, 1);
        double[] baseline = normal(rnd, 300, 100, 1);
        Samples s = new Samples(canary, baseline, "t");
        MetricResult plain = MetricJudge.classify(spec(Direction.INCREASE), s, 0.98, 0.0);
        MetricResult strict = MetricJudge.classify(spec(Direction.INCREASE), s, 0.98, 0.95);
        assertThat(plain.lower()).isGreaterThan(0).isLessThan(0.95 * plain.shift());
        assertThat(plain.classification()).isEqualTo(MetricClass.HIGH);
        assertThat(strict.classification()).isEqualTo(MetricClass.PASS);
    }

    @Test
    void criticalIncreaseMakesACriticalFailure() {
        Random rnd = new Random(6);
        MetricResult r = judge(with(spec(Direction.INCREASE), 1.1, 1.4, false), normal(rnd, 60, 150, 10), normal(rnd, 60, 100, 10));
        assertThat(r.classification()).isEqualTo(MetricClass.HIGH);
        assertThat(r.criticalFailure()).isTrue();
        assertThat(r.reason()).contains("criticalIncrease 1.4");
    }

    @Test
    void highOfACriticalMetricIsACriticalFailure() {
        Random rnd = new Random(7);
        MetricResult r = judge(with(spec(Direction.INCREASE), 1.0, null, true), normal(rnd, 60, 120, 10), normal(rnd, 60, 100, 10));
        assertThat(r.criticalFailure()).isTrue();
    }

    @Test
    void passOfACriticalMetricIsNoFailure() {
        Random rnd = new Random(8);
        MetricResult r = judge(with(spec(Direction.INCREASE), 1.0, null, true), normal(rnd, 60, 100, 10), normal(rnd, 60, 100, 10));
        assertThat(r.criticalFailure()).isFalse();
    }

    @Test
    void fewerValuesThanMinSamplesAreTooFewNotNoData() {
        MetricResult r = judge(spec(Direction.INCREASE), new double[] {1, 2, 3}, new double[] {1, 2, 3, 4, 5, 6});
        assertThat(r.classification()).isEqualTo(MetricClass.TOO_FEW);
        assertThat(r.criticalFailure()).isFalse();
        assertThat(r.reason()).contains("canary 3 values", "minSamples 5", "never passes");
    }

    @Test
    void nanValuesAreRemovedByDefaultAndCounted() {
        double[] canary = {Double.NaN, Double.NaN, Double.NaN, 1, 2, 3, 4};
        MetricResult r = judge(spec(Direction.INCREASE), canary, new double[] {1, 2, 3, 4, 5, 6});
        assertThat(r.classification()).isEqualTo(MetricClass.TOO_FEW);
        assertThat(r.reason()).contains("canary 3 NaN removed");
    }

    @Test
    void nanPolicyErrorMakesTheMetricAnError() {
        MetricSpec s = new MetricSpec("m", null, Direction.INCREASE, 1, 1, null, null, false, 1, MetricSpec.NanPolicy.ERROR,
                MetricSpec.OutlierPolicy.KEEP, 3, 1);
        MetricResult r = judge(s, new double[] {1, Double.NaN}, new double[] {1, 2});
        assertThat(r.classification()).isEqualTo(MetricClass.ERROR);
    }

    @Test
    void nanPolicyZeroKeepsTheValueAsZero() {
        MetricSpec s = new MetricSpec("m", null, Direction.INCREASE, 1, 1, null, null, false, 1, MetricSpec.NanPolicy.ZERO,
                MetricSpec.OutlierPolicy.KEEP, 3, 5);
        MetricResult r = judge(s, new double[] {0, 0, 0, 0, Double.NaN}, new double[] {0, 0, 0, 0, 0});
        assertThat(r.canaryCount()).isEqualTo(5);
        assertThat(r.reason()).contains("NaN set to 0");
    }

    @Test
    void outliersAreRemovedByTukeyFencesWhenAsked() {
        MetricSpec s = new MetricSpec("m", null, Direction.INCREASE, 1, 1, null, null, false, 1, MetricSpec.NanPolicy.REMOVE,
                MetricSpec.OutlierPolicy.REMOVE, 3, 5);
        double[] canary = {10, 11, 10, 12, 11, 10, 11, 1000};
        MetricResult r = judge(s, canary, new double[] {10, 11, 10, 12, 11, 10, 11, 10});
        assertThat(r.canaryCount()).isEqualTo(7);
        assertThat(r.reason()).contains("canary 1 outliers removed");
    }
}
