package io.stagedrollout.core.machine;

import static io.stagedrollout.core.testing.TestRollouts.ALICE;
import static io.stagedrollout.core.testing.TestRollouts.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.testing.TestRollouts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stable version and the retry guard read the key's whole journal, through the real machine. */
class KeyHistoryTest {
    static final RolloutPlan PLAN = TestRollouts.plan("""
            service: checkout
            environment: production
            rings:
              - {name: everyone, exposure: 100%}
            """);

    final List<RolloutEvent> journal = new ArrayList<>();
    RolloutState state;
    int ids;

    Decision start(String version, String stable, boolean retry) {
        Decision d = RolloutMachine.apply(state, new Command.Start(PLAN, version, stable, "r-" + (++ids), retry, ALICE,
                KeyHistory.of(journal)), T0);
        apply(d);
        return d;
    }

    void apply(Decision d) {
        if (d instanceof Decision.Applied a) {
            state = a.state();
            journal.addAll(a.events());
        }
    }

    void run(Command c) {
        Decision d = RolloutMachine.apply(state, c, T0);
        assertThat(d).as("%s", c).isInstanceOf(Decision.Applied.class);
        apply(d);
    }

    void complete(String version, String stable) {
        start(version, stable, false);
        run(new Command.BeginRing(0, ALICE));
        run(new Command.RingDeployed(0, true, "ok", null, ALICE));
        run(new Command.Conclude(0, ALICE));
        assertThat(state.status()).isEqualTo(Status.COMPLETED);
    }

    void rollBack() {
        run(new Command.Rollback("bad", ALICE));
        run(new Command.RevertFinished(true, "ok", ALICE));
    }

    @Test
    void aCompletedVersionIsTheNextRolloutsStableVersionEvenOnAKeysFirstRollout() {
        complete("1.0.0", null);
        start("1.1.0", null, false);
        assertThat(state.stableVersion()).isEqualTo("1.0.0");
    }

    @Test
    void aVersionRolledBackAfterItCompletedIsNotStableTheOneBeforeItIs() {
        complete("1.1.0", "1.0.0");
        complete("1.2.0", null);
        rollBack();
        start("1.3.0", null, false);
        assertThat(state.stableVersion()).isEqualTo("1.1.0");
    }

    @Test
    void aDeclaredStableVersionCarriesOverWhenNothingCompleted() {
        start("2.0.0", "1.9.0", false);
        run(new Command.Abort("not now", ALICE));
        start("2.0.1", null, false);
        assertThat(state.stableVersion()).isEqualTo("1.9.0");
    }

    @Test
    void anExplicitStableVersionOverridesTheHistory() {
        complete("1.0.0", null);
        start("1.1.0", "0.9.0", false);
        assertThat(state.stableVersion()).isEqualTo("0.9.0");
    }

    @Test
    void aRolledBackVersionNeedsRetryEvenAfterOtherVersionsCameBetween() {
        start("3.0", "2.0", false);
        rollBack();
        start("3.1", null, false);
        run(new Command.Abort("other", ALICE));
        Decision again = start("3.0", null, false);
        assertThat(again).isInstanceOf(Decision.Refused.class);
        assertThat(((Decision.Refused) again).message()).contains("3.0 was rolled back").contains("retry");
        assertThat(start("3.0", null, true)).isInstanceOf(Decision.Applied.class);
    }

    @Test
    void versionsAreComparedAfterNormalisingSoV30AndFullWidthDigitsAreThe30ThatWasRolledBack() {
        start("3.0", "2.0", false);
        rollBack();
        start("3.1", null, false);
        run(new Command.Abort("other", ALICE));
        assertThat(start("V3.0", null, false)).isInstanceOf(Decision.Refused.class);
        assertThat(start("３.０", null, false)).isInstanceOf(Decision.Refused.class);
    }

    @Test
    void aVersionWithSurroundingWhiteSpaceIsInvalidInputNotANewRelease() {
        start("3.0", "2.0", false);
        rollBack();
        Decision d = start("3.0 ", null, false);
        assertThat(d).isInstanceOf(Decision.Refused.class);
        assertThat(((Decision.Refused) d).refusal()).isEqualTo(Decision.Refusal.INVALID);
        assertThat(((Decision.Refused) d).message()).contains("white space").contains("'3.0'");
    }

    @Test
    void anAbortedOrFailedVersionNeedsRetryTooButARetriedOneThatCompletedDoesNot() {
        start("4.0", "3.0", false);
        run(new Command.Abort("meh", ALICE));
        assertThat(start("4.0", null, false)).isInstanceOf(Decision.AlreadyDone.class);
        assertThat(start("4.0", null, true)).isInstanceOf(Decision.Applied.class);
        run(new Command.BeginRing(0, ALICE));
        run(new Command.RingDeployed(0, true, "ok", null, ALICE));
        run(new Command.Conclude(0, ALICE));
        start("4.1", null, false);
        run(new Command.Abort("other", ALICE));
        assertThat(start("4.0", null, false)).as("its latest rollout completed").isInstanceOf(Decision.Applied.class);
    }

    @Test
    void aFailedRolloutBlocksTheNextStartUntilAPersonResolvesIt() {
        start("5.0", "4.0", false);
        run(new Command.Rollback("bad", ALICE));
        run(new Command.RevertFinished(false, "exit 1", ALICE));
        assertThat(state.status()).isEqualTo(Status.FAILED);
        Decision blocked = start("5.0.1", null, false);
        assertThat(blocked).isInstanceOf(Decision.Refused.class);
        assertThat(((Decision.Refused) blocked).message()).contains("rollout resolve").contains(state.id());
        run(new Command.Resolve(true, "reverted by hand", ALICE));
        assertThat(state.status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(journal.get(journal.size() - 1).type()).isEqualTo(EventType.RESOLVED);
        assertThat(start("5.0.1", null, false)).isInstanceOf(Decision.Applied.class);
        assertThat(state.stableVersion()).isEqualTo("4.0");
    }
}
