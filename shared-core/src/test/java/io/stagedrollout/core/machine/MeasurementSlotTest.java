package io.stagedrollout.core.machine;

import static io.stagedrollout.core.testing.TestRollouts.ALICE;
import static io.stagedrollout.core.testing.TestRollouts.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.Outcome;
import io.stagedrollout.core.testing.TestRollouts;
import org.junit.jupiter.api.Test;

/** A gate's measurement slot counts once, whoever measured it. */
class MeasurementSlotTest {
    final RolloutState baking;

    MeasurementSlotTest() {
        RolloutState s = TestRollouts.applied(null, new Command.Start(TestRollouts.plan("""
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: 1m, gates: [g]}
                  - {name: everyone, exposure: 100%}
                gates:
                  g: {kind: command, command: ["true"], count: 4, failureLimit: 1}
                """), "2.0.0", "1.0.0", "r-1", ALICE), T0).state();
        s = TestRollouts.applied(s, new Command.BeginRing(0, ALICE), T0).state();
        baking = TestRollouts.applied(s, new Command.RingDeployed(0, true, "ok", null, ALICE), T0).state();
    }

    static Command.Measured failed(int slot) {
        return new Command.Measured(0, Measurement.of("g", T0, Outcome.FAIL, 1.0, "exit 1"), ALICE, slot);
    }

    @Test
    void aSecondMeasurementOfTheSameSlotIsNotCounted() {
        RolloutState once = TestRollouts.applied(baking, failed(0), T0.plusSeconds(1)).state();
        Decision twice = RolloutMachine.apply(once, failed(0), T0.plusSeconds(1));
        assertThat(twice).isInstanceOf(Decision.AlreadyDone.class);
        assertThat(((Decision.AlreadyDone) twice).message()).contains("slot 0").contains("already counted");
        assertThat(once.gates().get(0).failed()).isEqualTo(1);
        assertThat(once.status()).as("failureLimit 1: one failure is not yet a verdict").isEqualTo(Status.BAKING);
    }

    @Test
    void theNextSlotCounts() {
        RolloutState once = TestRollouts.applied(baking, failed(0), T0.plusSeconds(1)).state();
        RolloutState twice = TestRollouts.applied(once, failed(1), T0.plusSeconds(2)).state();
        assertThat(twice.status()).isEqualTo(Status.ROLLING_BACK);
    }

    @Test
    void aSlotBeyondTheNextIsRefused() {
        assertThat(RolloutMachine.apply(baking, failed(2), T0)).isInstanceOf(Decision.Refused.class);
    }

    @Test
    void theSlotIsJournaled() {
        var a = TestRollouts.applied(baking, failed(0), T0.plusSeconds(1));
        assertThat(a.events().get(0).evidence()).containsEntry("slot", 0);
    }
}
