package io.jenkins.plugins.stagedrollout.steps;

import static io.jenkins.plugins.stagedrollout.fixtures.TestRollouts.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.AbortException;
import io.jenkins.plugins.stagedrollout.fixtures.FakeHost;
import io.jenkins.plugins.stagedrollout.fixtures.FakeStepContext;
import io.jenkins.plugins.stagedrollout.fixtures.Plans;
import io.jenkins.plugins.stagedrollout.fixtures.TestRollouts;
import io.jenkins.plugins.stagedrollout.logic.RolloutService;
import io.jenkins.plugins.stagedrollout.logic.StageView;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.machine.Target;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromoteStepTest {
    @TempDir
    Path dir;

    TestRollouts t;
    FakeHost host;
    String id;

    @BeforeEach
    void waitingOnTheManualRing() throws Exception {
        t = new TestRollouts(dir);
        host = new FakeHost(t);
        RolloutService s = t.service;
        s.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", Plans.parse(t.planText()), true), TestRollouts.AS_ALICE);
        id = TestRollouts.idOf(s);
        for (int ring = 0; ring < 2; ring++) {
            if (ring == 1) s.enterStage(RolloutService.StageRequest.of(KEY, "early-adopters", null, null, true), TestRollouts.AS_ALICE);
            s.deployed(KEY, id, ring, true, "ok", TestRollouts.AS_ALICE);
            for (int i = 0; i < 50; i++) {
                StageView v = s.tick(KEY, id, ring, RolloutService.DeployInFlight.NOBODY, TestRollouts.AS_ALICE);
                if (v.finished() || v.kind() == StageView.Kind.WAITING) break;
                t.clock.advance(Duration.ofSeconds(20));
            }
        }
        assertThat(s.read(KEY).orElseThrow().status()).isEqualTo(Status.AWAITING_APPROVAL);
    }

    @AfterEach
    void tearDown() {
        host.close();
        t.close();
    }

    FakeStepContext promote(PromoteStep step, FakeStepContext ctx) throws Exception {
        StepStarter.start(step, ctx);
        host.runDue();
        return ctx;
    }

    @Test
    void promotesTheNamedRolloutAndRecordsItOnTheBuild() throws Exception {
        PromoteStep p = new PromoteStep(KEY);
        p.setRolloutId(id);

        FakeStepContext ctx = promote(p, new FakeStepContext(false));

        assertThat(ctx.record().succeeded).isTrue();
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.PROMOTING);
        assertThat(host.recorded.get(FakeHost.JOB + "#1")).containsExactly(KEY + " " + id);
    }

    @Test
    void anotherRolloutIdIsRefusedAndChangesNothing() throws Exception {
        PromoteStep p = new PromoteStep(KEY);
        p.setRolloutId("r-00000000");

        FakeStepContext ctx = promote(p, new FakeStepContext(false));

        assertThat(ctx.record().failure).isInstanceOf(AbortException.class)
                .hasMessageContaining("aimed at rollout r-00000000, but " + KEY + " is now rollout " + id)
                .hasMessageContaining("nothing was changed");
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.AWAITING_APPROVAL);
    }

    @Test
    void aJobThatDoesNotOwnTheRolloutCannotPromoteIt() throws Exception {
        FakeStepContext ctx = promote(new PromoteStep(KEY), new FakeStepContext(false, "intern/playground#4"));

        assertThat(ctx.record().failure).hasMessageContaining("belongs to " + FakeHost.JOB);
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.AWAITING_APPROVAL);
    }

    @Test
    void aRestartAfterThePromoteDoesNotPromoteASecondRing() throws Exception {
        FakeStepContext ctx = new FakeStepContext(false);
        PromoteStep.Execution e = (PromoteStep.Execution) StepStarter.start(new PromoteStep(KEY), ctx);
        host.runDue(); // promoted the current ring; the controller dies before the build recorded the end
        RolloutService s = t.service;
        s.enterStage(RolloutService.StageRequest.of(KEY, "everyone", null, null, true), TestRollouts.AS_ALICE);
        s.deployed(KEY, id, 2, true, "ok", TestRollouts.AS_ALICE);

        PromoteStep.Execution resumed = CanaryStageStepTest.roundTrip(e);
        host.restart();
        resumed.onResume();
        host.runDue();

        assertThat(t.service.history(KEY)).extracting(RolloutEvent::type).filteredOn("PROMOTED"::equals).hasSize(2);
        assertThat(t.service.read(KEY).orElseThrow().ringName()).isEqualTo("everyone");
    }
}
