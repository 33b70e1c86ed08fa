package io.stagedrollout.core.policy;

import static io.stagedrollout.core.testing.TestRollouts.ALICE;
import static io.stagedrollout.core.testing.TestRollouts.applied;
import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.machine.Command;
import io.stagedrollout.core.machine.Decision;
import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutMachine;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.testing.TestRollouts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The state machine honours deployment windows and freezes when it deploys a ring; the clock is an argument. */
class WindowMachineTest {
    static final String PLAN = """
            service: checkout
            environment: production
            windows:
              - {name: office-hours, days: Mon-Thu, from: "09:00", to: "16:00", zone: Europe/Berlin}
            freezes:
              - {from: "2026-12-21 00:00", to: "2027-01-04 00:00", zone: Europe/Berlin, reason: year-end freeze}
            rings:
              - {name: canary, exposure: 5%, bake: 0s}
              - name: everyone
                exposure: 100%
                bake: 0s
                windows: [{name: night, days: Sat, from: "22:00", to: "02:00", zone: Europe/Berlin}]
            """;
    static final Instant TUE_1100_CET = Instant.parse("2026-11-24T10:00:00Z");
    static final Instant FRI_1000_CET = Instant.parse("2026-11-27T09:00:00Z");

    static RolloutState started(String yaml, Instant at) {
        RolloutPlan plan = TestRollouts.plan(yaml);
        return applied(null, new Command.Start(plan, "2.0.0", "1.0.0", "r-1", ALICE), at).state();
    }

    @Test
    void aRingIsDeployedInsideItsWindow() {
        RolloutState s = started(PLAN, TUE_1100_CET);
        assertThat(applied(s, new Command.BeginRing(0, ALICE), TUE_1100_CET).state().status()).isEqualTo(Status.DEPLOYING);
    }

    @Test
    void outsideItsWindowARingWaitsAndTheRefusalNamesTheNextOpening() {
        RolloutState s = started(PLAN, FRI_1000_CET);
        Decision d = RolloutMachine.apply(s, new Command.BeginRing(0, ALICE), FRI_1000_CET);
        assertThat(d).isInstanceOf(Decision.Refused.class);
        Decision.Refused r = (Decision.Refused) d;
        assertThat(r.refusal()).isEqualTo(Decision.Refusal.NOT_YET);
        assertThat(r.message()).contains("office-hours").contains("next opening 2026-11-30T08:00:00Z");
        assertThat(RolloutMachine.waitingFor(s, FRI_1000_CET, List.of()).orElseThrow().opensAt())
                .isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
    }

    @Test
    void aFreezeOverTheWindowHoldsTheRingEvenInsideTheWindow() {
        Instant tue = Instant.parse("2026-12-22T10:00:00Z"); // Tue 11:00 CET, inside office hours
        RolloutState s = started(PLAN, tue);
        Decision.Refused r = (Decision.Refused) RolloutMachine.apply(s, new Command.BeginRing(0, ALICE), tue);
        assertThat(r.message()).contains("year-end freeze").contains("next opening 2027-01-04T08:00:00Z");
    }

    @Test
    void anOverrideWithAReasonDeploysAndIsJournaled() {
        RolloutState s = started(PLAN, FRI_1000_CET);
        Decision.Applied a = applied(s, new Command.BeginRing(0, ALICE, List.of(), "hotfix for INC-4711"), FRI_1000_CET);
        assertThat(a.state().status()).isEqualTo(Status.DEPLOYING);
        RolloutEvent override = a.events().get(0);
        assertThat(override.type()).isEqualTo(EventType.WINDOW_OVERRIDDEN);
        assertThat(override.actor()).isEqualTo(ALICE);
        assertThat(override.reason()).contains("hotfix for INC-4711").contains("office-hours");
        assertThat(override.evidence()).containsEntry("overrode", "window").containsEntry("overrideReason", "hotfix for INC-4711")
                .containsEntry("opensAt", "2026-11-30T08:00:00Z");
        assertThat(a.events().get(1).type()).isEqualTo(EventType.RING_DEPLOYING);
    }

    @Test
    void insideTheWindowAnOverrideJournalsNothingExtra() {
        RolloutState s = started(PLAN, TUE_1100_CET);
        var a = applied(s, new Command.BeginRing(0, ALICE, List.of(), "just in case"), TUE_1100_CET);
        assertThat(a.events()).extracting(RolloutEvent::type).containsExactly(EventType.RING_DEPLOYING);
    }

    @Test
    void aRingsOwnWindowsReplaceThePlans() {
        RolloutState s = started(PLAN, TUE_1100_CET);
        s = applied(s, new Command.BeginRing(0, ALICE), TUE_1100_CET).state();
        s = applied(s, new Command.RingDeployed(0, true, null, null, ALICE), TUE_1100_CET).state();
        s = applied(s, new Command.Conclude(0, ALICE), TUE_1100_CET).state();
        assertThat(s.status()).isEqualTo(Status.PROMOTING);
        // inside office hours, but ring everyone only deploys in the Saturday night window
        Decision.Refused r = (Decision.Refused) RolloutMachine.apply(s, new Command.BeginRing(1, ALICE), TUE_1100_CET);
        assertThat(r.message()).contains("night").contains("next opening 2026-11-28T21:00:00Z");
        Instant sat = Instant.parse("2026-11-28T21:00:00Z");
        assertThat(applied(s, new Command.BeginRing(1, ALICE), sat).state().ringName()).isEqualTo("everyone");
    }

    @Test
    void aBigBangReleaseDeploysOnlyInsideItsMaintenanceWindow() {
        String bigbang = """
                service: checkout
                environment: production
                strategy: bigbang
                windows: [{name: maintenance, days: Sun, from: "01:00", to: "05:00", zone: Europe/Berlin}]
                """;
        RolloutState s = started(bigbang, TUE_1100_CET);
        Decision.Refused r = (Decision.Refused) RolloutMachine.apply(s, new Command.BeginRing(0, ALICE), TUE_1100_CET);
        assertThat(r.message()).contains("maintenance").contains("next opening 2026-11-29T00:00:00Z");
        assertThat(applied(s, new Command.BeginRing(0, ALICE), Instant.parse("2026-11-29T00:00:00Z")).state().status())
                .isEqualTo(Status.DEPLOYING);
    }

    @Test
    void aFreezeAnnouncedByTheCiHostHoldsTheRingWithNoKnownOpening() {
        RolloutState s = started(PLAN, TUE_1100_CET);
        Freeze gitlab = Freeze.fromGitLab(Map.of("CI_DEPLOY_FREEZE", "true")).orElseThrow();
        Decision.Refused r = (Decision.Refused) RolloutMachine.apply(s, new Command.BeginRing(0, ALICE, List.of(gitlab), null), TUE_1100_CET);
        assertThat(r.refusal()).isEqualTo(Decision.Refusal.NOT_YET);
        assertThat(r.message()).contains("CI_DEPLOY_FREEZE").contains("the next opening is not known");
    }

    @Test
    void aRollbackIsNeverHeldByAWindow() {
        RolloutState s = started(PLAN, TUE_1100_CET);
        s = applied(s, new Command.BeginRing(0, ALICE), TUE_1100_CET).state();
        Decision.Applied a = applied(s, new Command.Rollback("bad", ALICE), FRI_1000_CET);
        assertThat(a.state().status()).isEqualTo(Status.ROLLING_BACK);
    }
}
