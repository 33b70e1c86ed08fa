package io.stagedrollout.core.machine;

import static io.stagedrollout.core.testing.TestRollouts.ALICE;
import static io.stagedrollout.core.testing.TestRollouts.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.gate.GateRules;
import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.Outcome;
import io.stagedrollout.core.gate.Verdict;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.testing.TestRollouts;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 17's gate decisions as the state machine applies them: errors and count, onError, early pass. */
class GateDecisionsInTheMachineTest {
    static RolloutState baking(RolloutPlan plan) {
        RolloutState s = TestRollouts.applied(null, new Command.Start(plan, "2.0.0", "1.0.0", "r-1", ALICE), T0).state();
        s = TestRollouts.applied(s, new Command.BeginRing(0, ALICE), T0).state();
        return TestRollouts.applied(s, new Command.RingDeployed(0, true, "ok", null, ALICE), T0).state();
    }

    static RolloutState measure(RolloutState s, String gate, Outcome o, Instant at, Map<String, Object> data) {
        Measurement m = new Measurement(gate, at, o, o == Outcome.ERROR ? null : 0.0, gate + " " + o, data);
        return TestRollouts.applied(s, new Command.Measured(0, m, ALICE), at).state();
    }

    @Test
    void aCountedGateKeepsBakingUntilItHasCountRealMeasurements() {
        RolloutPlan plan = TestRollouts.plan("""
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: 0s, gates: [g]}
                  - {name: everyone, exposure: 100%, gates: [g]}
                gates:
                  g: {kind: command, command: ["true"], count: 3, interval: 10s}
                """);
        RolloutState s = baking(plan);
        s = measure(s, "g", Outcome.ERROR, T0, Map.of());
        s = measure(s, "g", Outcome.ERROR, T0.plusSeconds(10), Map.of());
        s = measure(s, "g", Outcome.PASS, T0.plusSeconds(20), Map.of());
        assertThat(s.status()).isEqualTo(Status.BAKING);
        assertThat(RolloutMachine.nextMeasurementDue(s)).isEqualTo(T0.plusSeconds(30));
        s = measure(s, "g", Outcome.FAIL, T0.plusSeconds(30), Map.of());
        assertThat(s.status()).isEqualTo(Status.ROLLING_BACK);
    }

    @Test
    void onErrorRevertRevertsWhenTheBackendKeepsFailing() {
        RolloutPlan plan = TestRollouts.plan("""
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: 10m, gates: [g]}
                  - {name: everyone, exposure: 100%, gates: [g]}
                gates:
                  g: {kind: command, command: ["true"], interval: 10s, consecutiveErrorLimit: 1, onError: revert}
                """);
        RolloutState s = baking(plan);
        s = measure(s, "g", Outcome.ERROR, T0, Map.of());
        s = measure(s, "g", Outcome.ERROR, T0.plusSeconds(10), Map.of());
        assertThat(s.status()).isEqualTo(Status.ROLLING_BACK);
        assertThat(s.reason()).contains("could not be measured 2 times in a row", "onError: revert");
    }

    @Test
    void anEarlyPassEndsTheBakeWhenEveryCountedGateHasDecided() {
        RolloutPlan plan = TestRollouts.plan("""
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: 1h, gates: [seq, smoke]}
                  - {name: everyone, exposure: 100%, gates: [smoke]}
                gates:
                  seq: {kind: command, command: ["true"], interval: 1m}
                  smoke: {kind: command, command: ["true"], count: 1}
                """);
        RolloutState s = baking(plan);
        s = measure(s, "smoke", Outcome.PASS, T0, Map.of());
        s = measure(s, "seq", Outcome.PASS, T0, Map.of(GateRules.SETTLES_GATE, false));
        assertThat(s.status()).isEqualTo(Status.BAKING);
        s = measure(s, "seq", Outcome.PASS, T0.plusSeconds(60), Map.of(GateRules.SETTLES_GATE, true));
        assertThat(s.status()).isEqualTo(Status.PROMOTING);
        assertThat(s.verdict().verdict()).isEqualTo(Verdict.PASS);
        assertThat(s.verdict().reason()).contains("seq passed early after 2 measurements");
    }

    @Test
    void anEarlyPassWaitsForAGateThatStillMeasuresThroughTheBake() {
        RolloutPlan plan = TestRollouts.plan("""
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: 1h, gates: [seq, errors]}
                  - {name: everyone, exposure: 100%, gates: [errors]}
                gates:
                  seq: {kind: command, command: ["true"], interval: 1m}
                  errors: {kind: command, command: ["true"], interval: 1m}
                """);
        RolloutState s = baking(plan);
        s = measure(s, "errors", Outcome.PASS, T0, Map.of());
        s = measure(s, "seq", Outcome.PASS, T0, Map.of(GateRules.SETTLES_GATE, true));
        assertThat(s.status()).isEqualTo(Status.BAKING);
    }
}
