package io.stagedrollout.core.report;

import static io.stagedrollout.core.testing.TestRollouts.ALICE;
import static io.stagedrollout.core.testing.TestRollouts.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.machine.Command;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.testing.TestRollouts;
import org.junit.jupiter.api.Test;

/** Printed commands are id-bound, one shell word per value, and never carry raw control characters. */
class CommandHintsTest {
    @Test
    void aPromoteHintNamesTheKeyTheRolloutAndTheRing() {
        RolloutState s = TestRollouts.applied(TestRollouts.started(TestRollouts.threeRings(), "2.0.0"),
                new Command.BeginRing(0, ALICE), T0).state();
        assertThat(CommandHints.promote(s)).isEqualTo("rollout promote --rollout checkout/production --rollout-id r-test --ring canary");
    }

    @Test
    void oddValuesAreQuotedAndControlCharactersEscaped() {
        assertThat(CommandHints.quote("r-1")).isEqualTo("r-1");
        assertThat(CommandHints.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(CommandHints.quote("a\u001b[2Jb")).isEqualTo("'a\\u001b[2Jb'").doesNotContain("\u001b");
    }
}
