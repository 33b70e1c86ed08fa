package io.stagedrollout.core.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.gate.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanaryJudgeTest {
    static MetricResult metric(String name, MetricClass c, double weight, boolean criticalFailure) {
        return new MetricResult(name, c, name + " " + c, weight, criticalFailure, 10, 10, null, null, null, null, null, null, null, null);
    }

    static MetricResult pass(String name) {
        return metric(name, MetricClass.PASS, 1, false);
    }

    @Test
    void allPassingScoresHundredAndPasses() {
        CanaryJudge.Result r = CanaryJudge.score(List.of(pass("a"), pass("b")), 95, 75);
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.score()).isEqualTo(100);
        assertThat(r.reason()).startsWith("score 100 (2 of 2 metrics passed) >= pass 95");
    }

    @Test
    void scoreBetweenMarginalAndPassIsInconclusive() {
        List<MetricResult> m = List.of(pass("a"), pass("b"), pass("c"), pass("d"), metric("e", MetricClass.HIGH, 1, false));
        CanaryJudge.Result r = CanaryJudge.score(m, 95, 75);
        assertThat(r.score()).isEqualTo(80);
        assertThat(r.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(r.reason()).contains("marginal");
    }

    @Test
    void scoreBelowMarginalFails() {
        CanaryJudge.Result r = CanaryJudge.score(List.of(pass("a"), metric("b", MetricClass.HIGH, 1, false)), 95, 75);
        assertThat(r.score()).isEqualTo(50);
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.reason()).contains("score 50 (1 of 2 metrics passed) < marginal 75");
    }

    @Test
    void weightsDecideTheScore() {
        List<MetricResult> m = List.of(metric("a", MetricClass.PASS, 9, false), metric("b", MetricClass.LOW, 1, false));
        CanaryJudge.Result r = CanaryJudge.score(m, 90, 75);
        assertThat(r.score()).isEqualTo(90);
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.reason()).contains("by weight");
    }

    @Test
    void criticalFailureFailsWhateverTheScore() {
        List<MetricResult> m = List.of(pass("a"), pass("b"), pass("c"), pass("d"), pass("e"), pass("f"), pass("g"),
                pass("h"), pass("i"), pass("j"), pass("k"), pass("l"), pass("m"), pass("n"), pass("o"), pass("p"),
                pass("q"), pass("r"), pass("s"), pass("t"), metric("errors", MetricClass.HIGH, 1, true));
        CanaryJudge.Result r = CanaryJudge.score(m, 95, 75);
        assertThat(r.score()).isGreaterThan(95);
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.reason()).startsWith("critical failure of errors");
    }

    @Test
    void missingDataNeverPasses() {
        CanaryJudge.Result r = CanaryJudge.score(List.of(pass("a"), pass("b"), pass("c"), pass("d"), pass("e"), pass("f"),
                pass("g"), pass("h"), pass("i"), pass("j"), pass("k"), pass("l"), pass("m"), pass("n"), pass("o"), pass("p"),
                pass("q"), pass("r"), pass("s"), pass("t"), metric("x", MetricClass.NODATA, 0.1, false)), 95, 75);
        assertThat(r.score()).isGreaterThan(95);
        assertThat(r.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(r.reason()).startsWith("cannot pass: 1 metric(s) without enough data");
    }

    @Test
    void tooFewValuesInEveryMetricIsInconclusiveNotPass() {
        CanaryJudge.Result r = CanaryJudge.score(List.of(metric("x", MetricClass.TOO_FEW, 1, false)), 95, 75);
        assertThat(r.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(r.score()).isZero();
    }

    @Test
    void halfOrMoreMetricsWithoutDataFailAsInKayenta() {
        // changed on purpose (issue 17): Kayenta fails a canary when 50% or more of its metrics return no data
        CanaryJudge.Result one = CanaryJudge.score(List.of(metric("x", MetricClass.NODATA, 1, false)), 95, 75);
        assertThat(one.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(one.reason()).startsWith("1 of 1 metrics have no data (half or more fails)");
        CanaryJudge.Result half = CanaryJudge.score(List.of(pass("a"), metric("x", MetricClass.NODATA, 1, false)), 95, 0);
        assertThat(half.outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void fewerThanHalfWithoutDataHoldsTheGateInconclusive() {
        CanaryJudge.Result r = CanaryJudge.score(List.of(pass("a"), pass("b"), metric("x", MetricClass.NODATA, 1, false)), 95, 0);
        assertThat(r.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
    }

    @Test
    void aCriticalMetricWithoutDataFailsWhateverTheOthersSay() {
        CanaryJudge.Result r = CanaryJudge.score(List.of(pass("a"), pass("b"), pass("c"), metric("errors", MetricClass.NODATA, 1, true)), 95, 0);
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.reason()).startsWith("critical failure of errors");
    }

    @Test
    void aFailedSourceIsAnError() {
        CanaryJudge.Result r = CanaryJudge.score(List.of(pass("a"), pass("b"), pass("c"), pass("d"), pass("e"),
                metric("x", MetricClass.ERROR, 0.1, false)), 95, 75);
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void missingDataCannotRescueAFailingScore() {
        CanaryJudge.Result r = CanaryJudge.score(List.of(metric("a", MetricClass.HIGH, 1, false), metric("b", MetricClass.HIGH, 1, false),
                metric("x", MetricClass.ERROR, 1, false)), 95, 75);
        assertThat(r.bestScore()).isCloseTo(33.33, org.assertj.core.api.Assertions.within(0.01));
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.reason()).contains("even if the metrics without data had passed");
    }
}
