package io.stagedrollout.core.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.OnVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The situations Argo Rollouts' analysis-assessment tests pin down (limits, counts, errors, termination, the run's
 * worst status), written here in our own words with what Argo answers and what this project answers. Where they
 * differ it is on purpose, and shared-core/JUDGE.md lists the difference. "finished" is our word for Argo's run
 * that is terminating or has reached its count.
 */
class ArgoAnalysisCasesTest {
    static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    static GateSpec gate(Integer count, int failureLimit, int inconclusiveLimit, int consecutiveErrorLimit, OnVerdict onError) {
        return new GateSpec("success-rate", "prometheus", Duration.ofSeconds(60), count, Duration.ZERO, failureLimit,
                inconclusiveLimit, consecutiveErrorLimit, false, Map.of(), onError);
    }

    static GateSpec gate(int failureLimit, int inconclusiveLimit) {
        return gate(null, failureLimit, inconclusiveLimit, GateSpec.DEFAULT_CONSECUTIVE_ERROR_LIMIT, OnVerdict.HOLD);
    }

    static GateProgress measured(Outcome... outcomes) {
        GateProgress p = GateProgress.start("success-rate");
        for (Outcome o : outcomes) p = p.with(Measurement.of("success-rate", T, o, o == Outcome.ERROR ? null : 0.99, o.name()));
        return p;
    }

    static Outcome[] times(int n, Outcome o) {
        Outcome[] out = new Outcome[n];
        java.util.Arrays.fill(out, o);
        return out;
    }

    static Verdict verdict(GateSpec spec, GateProgress p, boolean finished) {
        GateVerdict v = GateRules.evaluate(spec, p, finished);
        return v == null ? null : v.verdict();
    }

    @Test
    void failuresOverTheLimitFailWhetherRunningOrFinished() {
        // Argo: Failed in both cases
        assertThat(verdict(gate(2, 0), measured(times(3, Outcome.FAIL)), false)).isEqualTo(Verdict.FAIL);
        assertThat(verdict(gate(2, 0), measured(times(3, Outcome.FAIL)), true)).isEqualTo(Verdict.FAIL);
    }

    @Test
    void failuresWithinTheLimitAndNoPassAreNotAPass() {
        // Argo: Running, then Successful when terminated. Here: undecided, then INCONCLUSIVE — no real passing
        // measurement, so no pass (difference: "a gate passes only on real passing measurements")
        assertThat(verdict(gate(3, 0), measured(times(3, Outcome.FAIL)), false)).isNull();
        assertThat(verdict(gate(3, 0), measured(times(3, Outcome.FAIL)), true)).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void inconclusiveOverTheLimitIsInconclusive() {
        // Argo: Inconclusive in both cases
        assertThat(verdict(gate(0, 2), measured(times(3, Outcome.INCONCLUSIVE)), false)).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(verdict(gate(0, 2), measured(times(3, Outcome.INCONCLUSIVE)), true)).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void inconclusiveWithinTheLimitAndNoPassIsStillNotAPass() {
        // Argo: Running, then Successful when terminated. Here: INCONCLUSIVE at the end (same difference as above)
        assertThat(verdict(gate(0, 3), measured(times(3, Outcome.INCONCLUSIVE)), false)).isNull();
        assertThat(verdict(gate(0, 3), measured(times(3, Outcome.INCONCLUSIVE)), true)).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void consecutiveErrorsOverTheDefaultLimitOfFour() {
        // Argo: Error, which aborts the rollout like Failed. Here: INCONCLUSIVE and hold by default, FAIL with onError: revert
        GateProgress five = measured(times(5, Outcome.ERROR));
        assertThat(verdict(gate(0, 0), five, false)).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(verdict(gate(null, 0, 0, 4, OnVerdict.REVERT), five, false)).isEqualTo(Verdict.FAIL);
    }

    @Test
    void fourConsecutiveErrorsAreWithinTheLimitButNeverAPass() {
        // Argo: Running, and Successful when terminated. Here: undecided, then INCONCLUSIVE (FAIL with onError: revert)
        GateProgress four = measured(times(4, Outcome.ERROR));
        assertThat(verdict(gate(0, 0), four, false)).isNull();
        assertThat(verdict(gate(0, 0), four, true)).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(verdict(gate(null, 0, 0, 4, OnVerdict.REVERT), four, true)).isEqualTo(Verdict.FAIL);
    }

    @Test
    void aReachedCountOfPassesIsSuccessful() {
        // Argo: Successful
        GateSpec ten = gate(10, 0, 0, 4, OnVerdict.HOLD);
        GateProgress p = measured(times(10, Outcome.PASS));
        assertThat(BakeSchedule.countReached(ten, p)).isTrue();
        assertThat(verdict(ten, p, true)).isEqualTo(Verdict.PASS);
    }

    @Test
    void aReachedCountWithInconclusiveOverTheLimitIsInconclusive() {
        // Argo: Inconclusive (five successful, five inconclusive, inconclusiveLimit 0)
        Outcome[] mixed = new Outcome[10];
        for (int i = 0; i < 10; i++) mixed[i] = i < 5 ? Outcome.PASS : Outcome.INCONCLUSIVE;
        assertThat(verdict(gate(10, 0, 0, 4, OnVerdict.HOLD), measured(mixed), true)).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void errorsDoNotCountTowardCountAndAFollowingFailFails() {
        // Argo: an Error does not increment count, so it measures again; a Fail then fails the metric
        GateSpec three = gate(3, 0, 0, 4, OnVerdict.HOLD);
        GateProgress p = measured(Outcome.ERROR, Outcome.ERROR, Outcome.PASS);
        assertThat(BakeSchedule.countReached(three, p)).isFalse();
        assertThat(verdict(three, p, false)).isNull();
        assertThat(verdict(three, p.with(Measurement.of("success-rate", T, Outcome.FAIL, 0.5, "FAIL")), false)).isEqualTo(Verdict.FAIL);
    }

    @Test
    void noMeasurementAtAllIsNeverAPass() {
        // Argo: Pending while running, Successful when terminated before any measurement. Here: INCONCLUSIVE
        assertThat(verdict(gate(0, 0), measured(), false)).isNull();
        assertThat(verdict(gate(0, 0), measured(), true)).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void aFailedLimitWinsOverErrorsWhenBothAreExceeded() {
        // Argo assigns the phases in turn, so Error overrides Inconclusive overrides Failed when several limits are
        // exceeded at once; here a failed measurement is evidence of a regression and decides first (difference)
        GateProgress p = measured(Outcome.FAIL, Outcome.ERROR, Outcome.ERROR, Outcome.ERROR, Outcome.ERROR, Outcome.ERROR);
        assertThat(verdict(gate(0, 0), p, false)).isEqualTo(Verdict.FAIL);
    }

    @Test
    void theRunIsTheWorstOfItsCountedMetricsAndDryRunsDoNotCount() {
        // Argo: the worst completed metric decides; a dry-run metric's failure is reported, not counted
        GateVerdict ok = GateRules.evaluate(gate(0, 0), measured(Outcome.PASS), true);
        GateVerdict failed = GateRules.evaluate(gate(0, 0), measured(Outcome.FAIL), true);
        GateVerdict dryFailed = new GateVerdict("dry", Verdict.FAIL, true, "dry failed", measured(Outcome.FAIL));
        assertThat(RingVerdict.of("canary", List.of(ok, failed)).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(RingVerdict.of("canary", List.of(ok, dryFailed)).verdict()).isEqualTo(Verdict.PASS);
    }
}
