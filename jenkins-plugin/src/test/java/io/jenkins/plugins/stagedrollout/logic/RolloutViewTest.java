package io.jenkins.plugins.stagedrollout.logic;

import static io.jenkins.plugins.stagedrollout.fixtures.TestRollouts.ALICE;
import static io.jenkins.plugins.stagedrollout.fixtures.TestRollouts.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.stagedrollout.fixtures.Plans;
import io.jenkins.plugins.stagedrollout.fixtures.TestRollouts;
import io.stagedrollout.core.engine.EngineListener;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the build page shows. */
class RolloutViewTest {
    @TempDir
    Path dir;

    @Test
    void showsRingProgressAndTheCurrentGates() throws Exception {
        try (TestRollouts t = new TestRollouts(dir)) {
            t.service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", Plans.parse(t.planText()), true), TestRollouts.AS_ALICE);
            t.service.deployed(KEY, TestRollouts.idOf(t.service), 0, true, "ok", TestRollouts.AS_ALICE);
            t.service.tick(KEY, TestRollouts.idOf(t.service), 0, RolloutService.DeployInFlight.NOBODY, TestRollouts.AS_ALICE);

            RolloutView v = RolloutView.of(t.service.read(KEY).orElseThrow());

            assertThat(v.getRings()).extracting(RolloutView.RingRow::getProgress).containsExactly("current", "pending", "pending");
            assertThat(v.getRings().get(0).getBake()).isEqualTo("1m");
            assertThat(v.getRings().get(1).getApproval()).isEqualTo("manual");
            assertThat(v.getGates()).singleElement().satisfies(g -> {
                assertThat(g.getTally()).isEqualTo("1 passed, 0 failed, 0 inconclusive, 0 errors of 1");
                assertThat(g.getSummary()).contains("answered 200");
            });
            assertThat(v.isPromotable()).isFalse();
            assertThat(v.isRollbackable()).isTrue();
        }
    }

    @Test
    void printsWhenTheBakeEndsToTheSecond() throws Exception {
        try (TestRollouts t = new TestRollouts(dir)) {
            t.service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", Plans.parse(t.planText()), true), TestRollouts.AS_ALICE);
            t.clock.advance(Duration.ofNanos(335_990_287));
            t.service.deployed(KEY, TestRollouts.idOf(t.service), 0, true, "ok", TestRollouts.AS_ALICE);

            RolloutView v = RolloutView.of(t.service.read(KEY).orElseThrow(), t.clock.instant());

            assertThat(v.getBakeEndsAt()).isEqualTo(t.clock.instant().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS).toString())
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        }
    }
}
