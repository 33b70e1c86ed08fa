package io.jenkins.plugins.stagedrollout.steps;

import static io.jenkins.plugins.stagedrollout.fixtures.TestRollouts.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.AbortException;
import io.jenkins.plugins.stagedrollout.fixtures.FakeHost;
import io.jenkins.plugins.stagedrollout.fixtures.FakeStepContext;
import io.jenkins.plugins.stagedrollout.fixtures.Plans;
import io.jenkins.plugins.stagedrollout.fixtures.TestRollouts;
import io.jenkins.plugins.stagedrollout.logic.RolloutService;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.machine.Target;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rollback step: who may, which rollout it means, what it leaves behind. */
class RollbackStepTest {
    @TempDir
    Path dir;

    TestRollouts t;
    FakeHost host;

    @BeforeEach
    void setUp() throws Exception {
        t = new TestRollouts(dir);
        host = new FakeHost(t);
    }

    @AfterEach
    void tearDown() {
        host.close();
        t.close();
    }

    /** Rolls {@code version} out to the end through the service (an earlier build, or the CLI). */
    String completed(String version) throws Exception {
        RolloutService s = t.service;
        s.enterStage(RolloutService.StageRequest.of(KEY, "canary", version, Plans.parse(t.planText()), true), TestRollouts.AS_ALICE);
        for (int ring = 0; ring < 3; ring++) {
            if (ring > 0) s.enterStage(RolloutService.StageRequest.of(KEY, ring == 1 ? "early-adopters" : "everyone", null, null, true), TestRollouts.AS_ALICE);
            String id = TestRollouts.idOf(s);
            s.deployed(KEY, id, ring, true, "ok", TestRollouts.AS_ALICE);
            for (int i = 0; i < 50; i++) {
                var v = s.tick(KEY, id, ring, RolloutService.DeployInFlight.NOBODY, TestRollouts.AS_ALICE);
                if (v.finished() || v.kind() == io.jenkins.plugins.stagedrollout.logic.StageView.Kind.WAITING) break;
                t.clock.advance(Duration.ofSeconds(20));
            }
            if (ring == 1) s.promote(KEY, "early-adopters", Target.ANY, TestRollouts.AS_ALICE);
        }
        assertThat(s.read(KEY).orElseThrow().status()).isEqualTo(Status.COMPLETED);
        return TestRollouts.idOf(s);
    }

    /** v2 is baking on the canary (started by build #1 of the owner job). */
    String baking() throws Exception {
        t.service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", Plans.parse(t.planText()), true), TestRollouts.AS_ALICE);
        String id = TestRollouts.idOf(t.service);
        t.service.deployed(KEY, id, 0, true, "ok", TestRollouts.AS_ALICE);
        return id;
    }

    FakeStepContext rollback(RollbackStep step, FakeStepContext ctx) throws Exception {
        StepStarter.start(step, ctx);
        host.runDue();
        return ctx;
    }

    static RollbackStep thisBuildOnly() {
        RollbackStep r = new RollbackStep(KEY, "pipeline failed");
        r.setThisBuildOnly(true);
        return r;
    }

    @Test
    void anEarlyFailureNeverRevertsAnEarlierCompletedRelease() throws Exception {
        completed("v1");
        FakeStepContext build2 = new FakeStepContext(true, FakeHost.JOB + "#2"); // failed before its canaryStage

        rollback(thisBuildOnly(), build2);

        assertThat(build2.record().succeeded).isTrue();
        assertThat(build2.record().bodyContexts).isEmpty();
        assertThat(build2.record().log()).contains("nothing to roll back: this build took part in no rollout of " + KEY);
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.COMPLETED);
        assertThat(host.recorded).doesNotContainKey(FakeHost.JOB + "#2");
    }

    @Test
    void thisBuildOnlyRollsBackTheRolloutTheBuildTookPartIn() throws Exception {
        FakeStepContext stage = new FakeStepContext(true, FakeHost.JOB + "#3");
        CanaryStageStep s = new CanaryStageStep(KEY, "canary");
        s.setVersion("v2");
        s.setPlanText(t.planText());
        StepStarter.start(s, stage);
        host.runDue();
        stage.bodyFails(new AbortException("deploy.sh exited 1"));
        host.runDue();
        FakeStepContext rb = new FakeStepContext(true, FakeHost.JOB + "#3");

        rollback(thisBuildOnly(), rb);
        rb.bodySucceeds();
        host.runDue();

        assertThat(rb.record().succeeded).isTrue();
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.ROLLED_BACK);
    }

    @Test
    void aRollbackForAnOlderRolloutIsRefusedAndChangesNothing() throws Exception {
        String old = completed("v1");
        t.clock.advance(Duration.ofHours(1));
        t.service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", Plans.parse(t.planText()), true), TestRollouts.AS_ALICE);
        long revision = t.service.read(KEY).orElseThrow().revision();
        RollbackStep r = new RollbackStep(KEY, "from an old notice");
        r.setRolloutId(old);

        FakeStepContext ctx = rollback(r, new FakeStepContext(true));

        assertThat(ctx.record().failure).isInstanceOf(AbortException.class)
                .hasMessageContaining("rollout " + old + " (version v1) has ended: COMPLETED")
                .hasMessageContaining("but " + KEY + " is now rollout " + TestRollouts.idOf(t.service) + " of version v2")
                .hasMessageContaining("nothing was changed");
        assertThat(t.service.read(KEY).orElseThrow().revision()).isEqualTo(revision);
        assertThat(ctx.record().bodyContexts).isEmpty();
    }

    @Test
    void aJobThatDoesNotOwnTheRolloutIsRefusedBeforeAnythingIsRecordedOnItsBuild() throws Exception {
        baking();
        FakeStepContext ctx = new FakeStepContext(true, "intern/playground#1");

        rollback(new RollbackStep(KEY, "just looking"), ctx);

        assertThat(ctx.record().failure).hasMessageContaining("belongs to " + FakeHost.JOB);
        assertThat(host.recorded).doesNotContainKey("intern/playground#1"); // no Promote/Rollback buttons for its users
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.BAKING);
    }

    @Test
    void aBuildWithoutTheRollbackPermissionIsRefused() throws Exception {
        baking();
        host.withoutPermissions.add(FakeHost.JOB);

        FakeStepContext ctx = rollback(new RollbackStep(KEY, "because"), new FakeStepContext(true));

        assertThat(ctx.record().failure).hasMessageContaining("lacks Staged Rollout/Rollback");
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.BAKING);
    }

    @Test
    void aBodyLessRollbackWithoutARevertActionDoesNotEndGreen() throws Exception {
        baking();

        FakeStepContext ctx = rollback(new RollbackStep(KEY, "bad release"), new FakeStepContext(false));

        assertThat(ctx.record().failure).isInstanceOf(AbortException.class)
                .hasMessageContaining("is ROLLING_BACK and nothing reverted it");
    }

    @Test
    void anInterruptedRevertLeavesTheRolloutRollingBack() throws Exception {
        baking();
        FakeStepContext ctx = rollback(new RollbackStep(KEY, "bad release"), new FakeStepContext(true));

        ctx.bodyFails(new InterruptedException("aborted"));
        host.runDue();

        assertThat(ctx.record().failure).hasMessage("aborted");
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.ROLLING_BACK);
        assertThat(ctx.record().log()).contains("stays ROLLING_BACK: run rollback again");
    }

    @Test
    void aFailedRevertLeavesTheRolloutFailed() throws Exception {
        baking();
        FakeStepContext rb = rollback(new RollbackStep(KEY, "bad canary"), new FakeStepContext(true));

        rb.bodyFails(new AbortException("revert script failed"));
        host.runDue();

        assertThat(rb.record().failure).hasMessage("revert script failed");
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.FAILED);
    }

    @Test
    void aRestartWhileRecordingTheRevertRecordsIt() throws Exception {
        baking();
        FakeStepContext rb = new FakeStepContext(true);
        RollbackStep.Execution e = (RollbackStep.Execution) StepStarter.start(new RollbackStep(KEY, "bad"), rb);
        host.runDue();
        rb.bodySucceeds(); // queued, then the controller died

        RollbackStep.Execution resumed = CanaryStageStepTest.roundTrip(e);
        host.restart();
        resumed.onResume();
        host.runDue();

        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(rb.record().succeeded).isTrue();
    }

    @Test
    void aBodyLessRollbackCutShortByARestartIsCarriedOutAfterIt() throws Exception {
        baking();
        FakeStepContext rb = new FakeStepContext(false);
        RollbackStep.Execution e = (RollbackStep.Execution) StepStarter.start(new RollbackStep(KEY, "bad"), rb);

        RollbackStep.Execution resumed = CanaryStageStepTest.roundTrip(e); // died before its work ran
        host.restart();
        resumed.onResume();
        host.runDue();

        assertThat(rb.record().finished()).isTrue(); // no hang: it ends (here failing: the plan has no revert action)
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.ROLLING_BACK);
    }

    @Test
    void usePlanActionRevertsWithThePlansActionAndNeverRunsTheBody() throws Exception {
        t.service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", Plans.parse(t.planText()
                + "actions:\n  deploy: {kind: webhook, url: " + t.health.url() + "}\n  revert: {kind: webhook, url: "
                + t.health.url() + "}\n"), true), TestRollouts.AS_ALICE);
        RollbackStep r = new RollbackStep(KEY, "bad release");
        r.setUsePlanAction(true);

        FakeStepContext ctx = rollback(r, new FakeStepContext(true));

        assertThat(ctx.record().bodyContexts).isEmpty();
        assertThat(ctx.record().succeeded).isTrue();
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.ROLLED_BACK);
    }
}
