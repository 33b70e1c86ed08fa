package io.stagedrollout.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.report.RolloutTimeline.GateRun;
import io.stagedrollout.core.report.RolloutTimeline.RingRun;
import org.junit.jupiter.api.Test;

class RolloutTimelineTest {
    @Test
    void badRolloutShowsTheFailedCanaryAndTheRollback() {
        Rollouts r = Rollouts.badVersion();
        assertThat(r.state.status()).isEqualTo(Status.ROLLED_BACK);
        RolloutTimeline t = RolloutTimeline.of(r.state, r.journal);
        RingRun canary = t.rings().get(0);
        assertThat(canary.verdict()).isEqualTo("FAIL");
        assertThat(canary.state()).isEqualTo("failed");
        assertThat(canary.actualPercent()).isEqualTo(5.0);
        GateRun errors = canary.gates().get(0);
        assertThat(errors.gate()).isEqualTo("error-rate");
        assertThat(errors.verdict()).isEqualTo("FAIL");
        assertThat(errors.measurements()).extracting(RolloutTimeline.Point::value).containsExactly(0.004, 0.034, 0.041);
        assertThat(errors.measurements().get(1).summary()).isEqualTo("error ratio 0.034 > max 0.01 (34 of 1000 requests)");
        assertThat(errors.thresholds()).extracting(RolloutTimeline.Threshold::name).containsExactly("max", "max - marginal");
        assertThat(canary.gates().get(1).thresholds()).extracting(RolloutTimeline.Threshold::value).containsExactly(95.0, 75.0);
        assertThat(canary.gates().get(2).dryRun()).isTrue();
        assertThat(t.rings().get(1).state()).isEqualTo("pending");
        assertThat(t.exposure()).extracting(RolloutTimeline.ExposurePoint::percent).containsExactly(0.0, 5.0, 5.0, 0.0, 0.0);
    }

    @Test
    void eventsOfOtherRolloutsOfTheKeyAreIgnored() {
        Rollouts bad = Rollouts.badVersion();
        Rollouts good = Rollouts.goodVersion();
        java.util.List<io.stagedrollout.core.machine.RolloutEvent> both = new java.util.ArrayList<>(bad.journal);
        both.addAll(good.journal);
        RolloutTimeline t = RolloutTimeline.of(good.state, both);
        assertThat(t.events()).hasSize(good.journal.size());
        assertThat(t.rings()).allMatch(ring -> "PASS".equals(ring.verdict()));
    }
}
