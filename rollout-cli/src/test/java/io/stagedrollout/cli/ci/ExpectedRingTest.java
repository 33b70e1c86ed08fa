package io.stagedrollout.cli.ci;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.cli.ci.ExpectedRing.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectedRingTest {
    private static CliResult.Rollout at(String status, int ringIndex) {
        return new CliResult.Rollout("checkout/production", "r-1", "checkout", "production", "2.0.0", "1.0.0",
                "1.0.0", status, ringIndex < 0 ? null : List.of("canary", "early", "everyone").get(ringIndex),
                ringIndex, 3, null, null, null, null, List.of(), List.of("canary", "early", "everyone"));
    }

    @Test
    void firstRingIsNextOfAPendingRollout() {
        assertThat(ExpectedRing.check(at("PENDING", -1), "canary").decision()).isEqualTo(Decision.PROCEED);
        assertThat(ExpectedRing.check(at("PENDING", -1), "early").decision()).isEqualTo(Decision.OUT_OF_ORDER);
    }

    @Test
    void afterAPromotionTheFollowingRingIsNext() {
        assertThat(ExpectedRing.check(at("PROMOTING", 0), "early").decision()).isEqualTo(Decision.PROCEED);
    }

    @Test
    void retriedJobOfAPassedRingIsAlreadyDoneAndDeploysNothing() {
        ExpectedRing.Check check = ExpectedRing.check(at("PROMOTING", 0), "canary");

        assertThat(check.decision()).isEqualTo(Decision.ALREADY_DONE);
        assertThat(check.message()).contains("canary already passed").contains("next ring is early");
    }

    @Test
    void anInterruptedRingResumesInItsOwnJob() {
        assertThat(ExpectedRing.check(at("BAKING", 1), "early").decision()).isEqualTo(Decision.PROCEED);
        assertThat(ExpectedRing.check(at("AWAITING_APPROVAL", 1), "early").decision()).isEqualTo(Decision.PROCEED);
    }

    @Test
    void jobOfALaterRingRunEarlyIsRefused() {
        ExpectedRing.Check check = ExpectedRing.check(at("BAKING", 0), "everyone");

        assertThat(check.decision()).isEqualTo(Decision.OUT_OF_ORDER);
        assertThat(check.message()).contains("BAKING at ring canary");
    }

    @Test
    void ringNotInThePlanIsNamed() {
        ExpectedRing.Check check = ExpectedRing.check(at("PENDING", -1), "canray");

        assertThat(check.decision()).isEqualTo(Decision.UNKNOWN_RING);
        assertThat(check.message()).contains("'canray'").contains("canary, early, everyone");
    }

    @Test
    void everyRingOfACompletedRolloutIsAlreadyDone() {
        assertThat(ExpectedRing.check(at("COMPLETED", 2), "early").decision()).isEqualTo(Decision.ALREADY_DONE);
    }

    @Test
    void aRolledBackRolloutIsLeftToTheCliToAnswer() {
        assertThat(ExpectedRing.check(at("ROLLED_BACK", 0), "early").decision()).isEqualTo(Decision.PROCEED);
    }
}
