package io.stagedrollout.core.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.plan.GateSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateRulesTest {
    static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    static GateSpec spec(int failureLimit, int inconclusiveLimit, int consecutiveErrorLimit) {
        return new GateSpec("error-rate", "metrics", Duration.ofSeconds(30), null, Duration.ZERO, failureLimit,
                inconclusiveLimit, consecutiveErrorLimit, false, Map.of());
    }

    static GateProgress tally(Outcome... outcomes) {
        GateProgress p = GateProgress.start("error-rate");
        for (Outcome o : outcomes) p = p.with(Measurement.of("error-rate", T, o, o == Outcome.ERROR ? null : 0.02, "ratio " + o));
        return p;
    }

    @Test
    void failedMeasurementsUpToTheFailureLimitAreTolerated() {
        GateVerdict v = GateRules.evaluate(spec(1, 0, 4), tally(Outcome.PASS, Outcome.FAIL, Outcome.PASS), true);
        assertThat(v.verdict()).isEqualTo(Verdict.PASS);
        assertThat(v.reason()).contains("1 failed within failureLimit 1");
    }

    @Test
    void failedMeasurementsBeyondTheFailureLimitFailTheGateAtOnce() {
        GateVerdict v = GateRules.evaluate(spec(1, 0, 4), tally(Outcome.FAIL, Outcome.FAIL), false);
        assertThat(v.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(v.reason()).isEqualTo("error-rate failed 2 of 2 measurements, failureLimit 1 (last: ratio FAIL)");
    }

    @Test
    void theDefaultFailureLimitOfZeroFailsOnTheFirstFailedMeasurement() {
        assertThat(GateRules.evaluate(spec(0, 0, 4), tally(Outcome.PASS, Outcome.FAIL), false).verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void inconclusiveMeasurementsBeyondTheInconclusiveLimitMakeTheGateInconclusive() {
        assertThat(GateRules.evaluate(spec(0, 1, 4), tally(Outcome.INCONCLUSIVE), false)).isNull();
        GateVerdict v = GateRules.evaluate(spec(0, 1, 4), tally(Outcome.INCONCLUSIVE, Outcome.PASS, Outcome.INCONCLUSIVE), false);
        assertThat(v.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(v.reason()).contains("inconclusiveLimit 1");
    }

    @Test
    void consecutiveErrorsBeyondTheLimitMakeTheGateInconclusive() {
        assertThat(GateRules.evaluate(spec(0, 0, 2), tally(Outcome.ERROR, Outcome.ERROR), false)).isNull();
        GateVerdict v = GateRules.evaluate(spec(0, 0, 2), tally(Outcome.ERROR, Outcome.ERROR, Outcome.ERROR), false);
        assertThat(v.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(v.reason()).contains("could not be measured 3 times in a row, consecutiveErrorLimit 2");
    }

    @Test
    void errorsThatAreNotConsecutiveDoNotAddUp() {
        GateProgress p = tally(Outcome.ERROR, Outcome.ERROR, Outcome.PASS, Outcome.ERROR, Outcome.ERROR);
        assertThat(p.consecutiveErrors()).isEqualTo(2);
        assertThat(GateRules.evaluate(spec(0, 0, 2), p, true).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aGateWithNoMeasurementIsNeverAPass() {
        GateVerdict v = GateRules.evaluate(spec(0, 0, 4), tally(), true);
        assertThat(v.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(v.reason()).contains("missing data never counts as a pass");
    }

    @Test
    void aGateWithOnlyErrorsWithinTheLimitIsNeverAPass() {
        assertThat(GateRules.evaluate(spec(0, 0, 4), tally(Outcome.ERROR, Outcome.ERROR), true).verdict())
                .isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void aNaNValueIsAnErrorNotAComparison() {
        Measurement m = Measurement.of("g", T, Outcome.PASS, Double.NaN, "ratio");
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("not a finite number");
    }

    @Test
    void anUndecidedGateIsNullUntilFinished() {
        assertThat(GateRules.evaluate(spec(0, 0, 4), tally(Outcome.PASS), false)).isNull();
        assertThat(GateRules.evaluate(spec(0, 0, 4), tally(Outcome.PASS), true).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void theRingVerdictIsTheWorstCountedGateAndIgnoresDryRunGates() {
        GateVerdict pass = new GateVerdict("a", Verdict.PASS, false, "a passed", tally(Outcome.PASS));
        GateVerdict inconclusive = new GateVerdict("b", Verdict.INCONCLUSIVE, false, "b inconclusive", tally());
        GateVerdict dryFail = new GateVerdict("c", Verdict.FAIL, true, "c failed", tally(Outcome.FAIL));
        RingVerdict v = RingVerdict.of("canary", List.of(pass, inconclusive, dryFail));
        assertThat(v.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(v.reason()).isEqualTo("b inconclusive");
        assertThat(RingVerdict.of("canary", List.of(pass, dryFail)).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aRingWithoutGatesPassesOnBakeTimeAndSaysSo() {
        assertThat(RingVerdict.of("canary", List.of()).reason()).contains("no gates");
    }

    @Test
    void thresholdsFailBeyondALimitAndAreInconclusiveInTheMarginalBand() {
        Thresholds t = new Thresholds(null, 0.01, 0.002);
        assertThat(t.judge(0.02)).isEqualTo(Outcome.FAIL);
        assertThat(t.judge(0.009)).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(t.judge(0.005)).isEqualTo(Outcome.PASS);
        assertThat(t.judge(Double.NaN)).isEqualTo(Outcome.ERROR);
        assertThat(t.explain(0.034)).isEqualTo("0.034 > max 0.01");
        assertThat(new Thresholds(0.95, null, 0).judge(0.9)).isEqualTo(Outcome.FAIL);
    }

    /** A tally of {@code n} passing measurements, the last one taken at {@code lastAt}. */
    static GateProgress taken(int n, Instant lastAt) {
        GateProgress p = GateProgress.start("error-rate");
        for (int i = 0; i < n; i++) p = p.with(Measurement.of("error-rate", lastAt, Outcome.PASS, 0.0, "ok"));
        return p;
    }

    @Test
    void aGateIsMeasuredEveryIntervalWhileTheRingBakesAndAtLeastOnce() {
        GateSpec s = spec(0, 0, 4);
        assertThat(BakeSchedule.nextDue(s, T, Duration.ofMinutes(1), taken(0, null))).isEqualTo(T);
        assertThat(BakeSchedule.nextDue(s, T, Duration.ofMinutes(1), taken(2, T.plusSeconds(30)))).isEqualTo(T.plusSeconds(60));
        assertThat(BakeSchedule.nextDue(s, T, Duration.ofMinutes(1), taken(3, T.plusSeconds(60)))).isNull();
        assertThat(BakeSchedule.nextDue(s, T, Duration.ZERO, taken(0, null))).isEqualTo(T);
        assertThat(BakeSchedule.nextDue(s, T, Duration.ZERO, taken(1, T))).isNull();
    }

    @Test
    void aSlowMeasurementPushesTheNextOneBackInsteadOfBunchingThem() {
        GateSpec s = spec(0, 0, 4);
        assertThat(BakeSchedule.nextDue(s, T, Duration.ofMinutes(5), taken(1, T.plusSeconds(45)))).isEqualTo(T.plusSeconds(75));
    }

    @Test
    void aCountedGateIsMeasuredExactlyCountTimesAndMayOutlastTheBake() {
        GateSpec s = new GateSpec("g", "http", Duration.ofSeconds(30), 5, Duration.ofSeconds(10), 0, 0, 4, false, Map.of());
        assertThat(BakeSchedule.nextDue(s, T, Duration.ZERO, taken(0, null))).isEqualTo(T.plusSeconds(10));
        assertThat(BakeSchedule.nextDue(s, T, Duration.ZERO, taken(5, T.plusSeconds(130)))).isNull();
        assertThat(BakeSchedule.concludeAt(List.of(s), T, Duration.ofMinutes(1))).isEqualTo(T.plusSeconds(130));
    }

    static GateSpec counted(int count, io.stagedrollout.core.plan.OnVerdict onError) {
        return new GateSpec("error-rate", "metrics", Duration.ofSeconds(30), count, Duration.ZERO, 0, 0, 4, false, Map.of(), onError);
    }

    @Test
    void errorsDoNotCountTowardCountSoTheGateMeasuresAgain() {
        GateSpec s = counted(3, null);
        GateProgress p = tally(Outcome.ERROR, Outcome.ERROR, Outcome.PASS);
        // three slots used, one real measurement: the fourth is due one interval after the third slot
        assertThat(BakeSchedule.nextDue(s, T, Duration.ZERO, p)).isEqualTo(T.plusSeconds(90));
        assertThat(BakeSchedule.countReached(s, p)).isFalse();
        assertThat(GateRules.evaluate(s, p, false)).isNull();
        GateProgress done = tally(Outcome.ERROR, Outcome.ERROR, Outcome.PASS, Outcome.PASS, Outcome.PASS);
        assertThat(BakeSchedule.nextDue(s, T, Duration.ZERO, done)).isNull();
        assertThat(GateRules.evaluate(s, done, true).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aFailAfterErrorsFailsACountedGateInsteadOfPassingOnOneMeasurement() {
        // issue 17: count 3, Error, Error, Pass used to PASS on one real measurement; now a fourth is taken, and a Fail fails
        GateSpec s = counted(3, null);
        GateVerdict v = GateRules.evaluate(s, tally(Outcome.ERROR, Outcome.ERROR, Outcome.PASS, Outcome.FAIL), false);
        assertThat(v.verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void aCountedGateConcludedWithoutItsCountIsInconclusive() {
        GateVerdict v = GateRules.evaluate(counted(3, null), tally(Outcome.ERROR, Outcome.PASS), true);
        assertThat(v.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(v.reason()).contains("has 1 of its count 3 real measurements (1 errors do not count)");
    }

    @Test
    void onErrorRevertMakesTooManyConsecutiveErrorsAFailure() {
        GateSpec revert = new GateSpec("error-rate", "metrics", Duration.ofSeconds(30), null, Duration.ZERO, 0, 0, 2, false,
                Map.of(), io.stagedrollout.core.plan.OnVerdict.REVERT);
        GateVerdict v = GateRules.evaluate(revert, tally(Outcome.ERROR, Outcome.ERROR, Outcome.ERROR), false);
        assertThat(v.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(v.reason()).contains("could not be measured 3 times in a row", "(onError: revert)");
        assertThat(GateRules.evaluate(spec(0, 0, 2), tally(Outcome.ERROR, Outcome.ERROR, Outcome.ERROR), false).reason())
                .contains("(onError: hold)");
    }

    @Test
    void onErrorRevertFailsAGateLeftWithNothingButErrors() {
        GateSpec revert = new GateSpec("error-rate", "metrics", Duration.ofSeconds(30), null, Duration.ZERO, 0, 0, 4, false,
                Map.of(), io.stagedrollout.core.plan.OnVerdict.REVERT);
        assertThat(GateRules.evaluate(revert, tally(Outcome.ERROR, Outcome.ERROR), true).verdict()).isEqualTo(Verdict.FAIL);
        // an inconclusive measurement is data that could not decide, not a broken backend: still held
        GateSpec tolerant = new GateSpec("error-rate", "metrics", Duration.ofSeconds(30), null, Duration.ZERO, 0, 1, 4, false,
                Map.of(), io.stagedrollout.core.plan.OnVerdict.REVERT);
        assertThat(GateRules.evaluate(tolerant, tally(Outcome.ERROR, Outcome.INCONCLUSIVE), true).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    static Measurement settling(boolean settles) {
        return new Measurement("error-rate", T, Outcome.PASS, 0.1, "ruled out", Map.of(GateRules.SETTLES_GATE, settles));
    }

    @Test
    void aPassThatSettlesTheGateDecidesItBeforeTheBakeEnds() {
        GateProgress p = GateProgress.start("error-rate").with(settling(false)).with(settling(true));
        GateVerdict v = GateRules.evaluate(spec(0, 0, 4), p, false);
        assertThat(v.verdict()).isEqualTo(Verdict.PASS);
        assertThat(v.reason()).startsWith("error-rate passed early after 2 measurements");
        assertThat(GateRules.evaluate(spec(0, 0, 4), GateProgress.start("error-rate").with(settling(false)), false)).isNull();
    }

    @Test
    void aRingPassesEarlyOnlyWhenEveryCountedGateHasDecided() {
        GateSpec seq = spec(0, 0, 4);
        GateSpec smoke = new GateSpec("smoke", "http", Duration.ofSeconds(30), null, Duration.ZERO, 0, 0, 4, false, Map.of());
        GateSpec dry = new GateSpec("dry", "http", Duration.ofSeconds(30), null, Duration.ZERO, 0, 0, 4, true, Map.of());
        GateProgress settled = GateProgress.start("error-rate").with(settling(true));
        GateVerdict early = GateRules.evaluate(seq, settled, false);
        GateVerdict smokePassed = new GateVerdict("smoke", Verdict.PASS, false, "smoke passed", tally(Outcome.PASS));
        assertThat(GateRules.passedEarly(List.of(seq, smoke), java.util.Arrays.asList(early, null))).isFalse();
        assertThat(GateRules.passedEarly(List.of(seq, smoke), List.of(early, smokePassed))).isTrue();
        assertThat(GateRules.passedEarly(List.of(seq, dry), java.util.Arrays.asList(early, null))).isTrue();
        GateVerdict normalPass = GateRules.evaluate(seq, tally(Outcome.PASS), true);
        assertThat(GateRules.passedEarly(List.of(seq, smoke), List.of(normalPass, smokePassed))).isFalse();
    }

    @Test
    void onErrorIsHoldOrRevertAndNamesTheFieldOtherwise() {
        String plan = """
                service: checkout
                environment: production
                rings: [{name: everyone, exposure: 100%, gates: [g]}]
                gates:
                  g: {kind: command, command: ["true"], onError: ONERROR}
                """;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.stagedrollout.core.plan.PlanReader.parse(plan.replace("ONERROR", "retry")))
                .hasMessageContaining("gates.g.onError: must be one of hold, revert, not 'retry'");
        assertThat(io.stagedrollout.core.testing.TestRollouts.plan(plan.replace("ONERROR", "revert")).gates().get("g").onError())
                .isEqualTo(io.stagedrollout.core.plan.OnVerdict.REVERT);
        assertThat(io.stagedrollout.core.testing.TestRollouts.plan(plan.replace(", onError: ONERROR", "")).gates().get("g").onError())
                .isEqualTo(io.stagedrollout.core.plan.OnVerdict.HOLD);
    }

    @Test
    void earlyPassIsASequentialGatesFieldAndUnknownElsewhere() {
        String plan = """
                service: checkout
                environment: production
                rings: [{name: everyone, exposure: 100%, gates: [g]}]
                gates:
                  g: {kind: command, command: ["true"], earlyPass: true}
                """;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.stagedrollout.core.plan.PlanReader.parse(plan))
                .hasMessageContaining("gates.g.earlyPass: unknown field");
    }

    @Test
    void marginalWidensOnlyThePassingSideOfALimit() {
        // a value just over max fails; the band below max is inconclusive (documented: not a symmetric band)
        Thresholds t = new Thresholds(null, 0.05, 0.005);
        assertThat(t.judge(0.0521)).isEqualTo(Outcome.FAIL);
        assertThat(t.judge(0.05)).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(t.judge(0.046)).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(t.judge(0.045)).isEqualTo(Outcome.PASS);
        Thresholds floor = new Thresholds(0.95, null, 0.01);
        assertThat(floor.judge(0.949)).isEqualTo(Outcome.FAIL);
        assertThat(floor.judge(0.955)).isEqualTo(Outcome.INCONCLUSIVE);
    }

    @Test
    void theMostMeasurementsABakeCanHold() {
        GateSpec s = spec(0, 0, 4); // every 30s
        assertThat(BakeSchedule.mostMeasurements(s, Duration.ofSeconds(4), Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(BakeSchedule.mostMeasurements(s, Duration.ofSeconds(35), Duration.ofSeconds(5))).isEqualTo(2);
        assertThat(BakeSchedule.mostMeasurements(s, Duration.ofSeconds(34), Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(BakeSchedule.mostMeasurements(s, Duration.ofMinutes(10), Duration.ZERO)).isEqualTo(21);
        assertThat(BakeSchedule.mostMeasurements(counted(3, null), Duration.ZERO, Duration.ZERO)).isEqualTo(3);
    }
}
