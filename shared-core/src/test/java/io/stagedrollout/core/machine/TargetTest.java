package io.stagedrollout.core.machine;

import static io.stagedrollout.core.testing.TestRollouts.ALICE;
import static io.stagedrollout.core.testing.TestRollouts.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.testing.TestRollouts;
import org.junit.jupiter.api.Test;

/** Commands aimed at a rollout by id or version act on that rollout only. */
class TargetTest {
    final RolloutState pending = TestRollouts.applied(null,
            new Command.Start(TestRollouts.threeRings(), "2.1.0", "2.0.0", "r-new", ALICE), T0).state();

    @Test
    void aCommandAimedAtAnotherRolloutIsAConflictNamingBoth() {
        Decision d = RolloutMachine.apply(pending, new Command.Abort("old job", ALICE), T0, Target.id("r-old"));
        assertThat(d).isInstanceOf(Decision.Refused.class);
        assertThat(((Decision.Refused) d).refusal()).isEqualTo(Decision.Refusal.CONFLICT);
        assertThat(((Decision.Refused) d).message()).contains("r-old").contains("r-new").contains("2.1.0")
                .contains("nothing was changed");
    }

    @Test
    void aCommandAimedAtTheCurrentRolloutApplies() {
        Decision d = RolloutMachine.apply(pending, new Command.Abort("why", ALICE), T0, new Target("r-new", "2.1.0"));
        assertThat(d).isInstanceOf(Decision.Applied.class);
    }

    @Test
    void anExpectedVersionThatIsNotTheRolloutsIsAConflict() {
        Decision d = RolloutMachine.apply(pending, new Command.Abort("why", ALICE), T0, new Target(null, "2.0.0"));
        assertThat(d).isInstanceOf(Decision.Refused.class);
        assertThat(((Decision.Refused) d).refusal()).isEqualTo(Decision.Refusal.CONFLICT);
    }

    @Test
    void theKeyOnlyFormActsOnWhateverRolloutTheKeyHas() {
        assertThat(RolloutMachine.apply(pending, new Command.Abort("why", ALICE), T0, Target.ANY))
                .isInstanceOf(Decision.Applied.class);
    }
}
