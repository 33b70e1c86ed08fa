package io.jenkins.plugins.stagedrollout.steps;

import static io.jenkins.plugins.stagedrollout.fixtures.TestRollouts.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.AbortException;
import hudson.EnvVars;
import io.jenkins.plugins.stagedrollout.fixtures.FakeHost;
import io.jenkins.plugins.stagedrollout.fixtures.FakeStepContext;
import io.jenkins.plugins.stagedrollout.fixtures.TestRollouts;
import io.stagedrollout.core.machine.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The canaryStage step's Jenkins glue, driven through fakes of the pipeline around it and the real engine. */
class CanaryStageStepTest {
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

    CanaryStageStep step(String ring, boolean first) {
        CanaryStageStep s = new CanaryStageStep(KEY, ring);
        if (first) {
            s.setVersion("v2");
            s.setPlanText(t.planText());
        }
        return s;
    }

    /** Starts the stage, ends its body successfully; returns the context. */
    FakeStepContext deployed(String ring, boolean first) throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        CanaryStageStep.Execution e = (CanaryStageStep.Execution) step(ring, first).start(ctx);
        host.running.add(e);
        assertThat(e.start()).isFalse();
        ctx.bodySucceeds();
        return ctx;
    }

    void bakeAll() {
        host.timer.runUntilIdle(t.clock.instant().plus(Duration.ofMinutes(5)));
    }

    @Test
    void theBodyDeploysWithTheRingsVariables() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        CanaryStageStep.Execution e = (CanaryStageStep.Execution) step("canary", true).start(ctx);

        boolean doneAtOnce = e.start();

        assertThat(doneAtOnce).isFalse();
        RolloutEnvironment env = (RolloutEnvironment) ctx.record().bodyContexts.get(0);
        EnvVars vars = new EnvVars();
        env.expand(vars);
        assertThat(vars).containsEntry("ROLLOUT_RING", "canary").containsEntry("ROLLOUT_PERCENT", "5")
                .containsEntry("ROLLOUT_VERSION", "v2");
    }

    @Test
    void aPassingRingEndsTheStepThroughTheTimerWithoutHoldingAThread() throws Exception {
        FakeStepContext ctx = deployed("canary", true);

        assertThat(ctx.record().finished()).isFalse();
        assertThat(host.timer.pending()).hasSize(1);
        bakeAll();

        assertThat(ctx.record().succeeded).isTrue();
        assertThat(asMap(ctx.record().result)).containsEntry("status", "PROMOTING").containsEntry("ring", "canary");
        assertThat(t.health.hits()).isGreaterThanOrEqualTo(3);
        assertThat(host.timer.pending()).isEmpty();
    }

    @Test
    void aFailingGateFailsTheStepWithTheVerdict() throws Exception {
        FakeStepContext ctx = deployed("canary", true);
        t.health.answer(500);

        bakeAll();

        assertThat(ctx.record().failure).isInstanceOf(AbortException.class)
                .hasMessageContaining("ring canary FAIL").hasMessageContaining("500");
    }

    @Test
    void aFailingBodyFailsTheStepWithItsErrorAndTheRing() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        CanaryStageStep.Execution e = (CanaryStageStep.Execution) step("canary", true).start(ctx);
        e.start();
        AbortException scriptFailed = new AbortException("script returned exit code 2");

        ctx.bodyFails(scriptFailed);

        assertThat(ctx.record().failure).isSameAs(scriptFailed);
        assertThat(t.service.read(KEY).orElseThrow().status()).isIn(Status.ROLLING_BACK, Status.ROLLED_BACK);
        assertThat(host.timer.pending()).isEmpty();
    }

    FakeStepContext waitingOnManualRing() throws Exception {
        deployed("canary", true);
        bakeAll();
        FakeStepContext ctx = deployed("early-adopters", false);
        bakeAll();
        return ctx;
    }

    @Test
    void aManualRingWaitsForAPerson() throws Exception {
        FakeStepContext ctx = waitingOnManualRing();

        assertThat(ctx.record().finished()).isFalse();
        assertThat(ctx.record().log()).contains("waits for a person to promote it");
        assertThat(host.timer.pending()).hasSize(1);
    }

    @Test
    void aPromoteStepReleasesTheWaitingStage() throws Exception {
        FakeStepContext waiter = waitingOnManualRing();
        PromoteStep promote = new PromoteStep(KEY);
        promote.setRing("early-adopters");

        Map<String, Object> result = ((PromoteStep.Execution) promote.start(new FakeStepContext(false))).run();
        host.timer.runDue();

        assertThat(result).containsEntry("status", "PROMOTING");
        assertThat(waiter.record().succeeded).isTrue();
    }

    @Test
    void aPromoteFromElsewhereIsSeenByThePoll() throws Exception {
        FakeStepContext waiter = waitingOnManualRing();
        t.service.promote(KEY, "early-adopters", TestRollouts.ALICE); // the CLI, or another controller: no wake-up call

        bakeAll();

        assertThat(waiter.record().succeeded).isTrue();
    }

    @Test
    void promoteTwiceAdvancesOnce() throws Exception {
        waitingOnManualRing();
        PromoteStep promote = new PromoteStep(KEY);
        promote.setRing("early-adopters");

        ((PromoteStep.Execution) promote.start(new FakeStepContext(false))).run();
        FakeStepContext again = new FakeStepContext(false);
        Map<String, Object> second = ((PromoteStep.Execution) promote.start(again)).run();

        assertThat(second).containsEntry("ringIndex", 1).containsEntry("status", "PROMOTING");
        assertThat(again.record().log()).contains("already done");
    }

    @Test
    void aRollbackStepFailsTheWaitingStageAndItsBodyReverts() throws Exception {
        FakeStepContext waiter = waitingOnManualRing();
        FakeStepContext rb = new FakeStepContext(true);

        StepStarter.start(new RollbackStep(KEY, "error budget burned"), rb);
        host.timer.runDue();
        RolloutEnvironment revertEnv = (RolloutEnvironment) rb.record().bodyContexts.get(0);
        rb.bodySucceeds();

        assertThat(waiter.record().failure).hasMessageContaining("error budget burned");
        assertThat(revertEnv.variables()).containsEntry("ROLLOUT_PERCENT", "0").containsEntry("ROLLOUT_REVERTING_VERSION", "v2");
        assertThat(asMap(rb.record().result)).containsEntry("status", "ROLLED_BACK");
    }

    @Test
    void aFailedRevertLeavesTheRolloutFailed() throws Exception {
        deployed("canary", true);
        FakeStepContext rb = new FakeStepContext(true);
        StepStarter.start(new RollbackStep(KEY, "bad canary"), rb);

        rb.bodyFails(new AbortException("revert script failed"));

        assertThat(rb.record().failure).hasMessage("revert script failed");
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.FAILED);
    }

    @Test
    void afterARestartTheTimerIsReArmedForThePersistedMoment() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        CanaryStageStep.Execution e = (CanaryStageStep.Execution) step("canary", true).start(ctx);
        e.start();
        ctx.bodySucceeds();
        host.timer.runDue(); // first measurement; the next is due in 20s
        Instant due = host.timer.pending().get(0).at();

        CanaryStageStep.Execution resumed = roundTrip(e);
        host.timer = new io.jenkins.plugins.stagedrollout.fixtures.ManualScheduler(t.clock); // the old timer died
        resumed.onResume();

        assertThat(host.timer.pending()).singleElement().satisfies(task -> assertThat(task.at()).isEqualTo(due));
        assertThat(ctx.record().saves).isPositive();
        bakeAll();
        assertThat(ctx.record().succeeded).isTrue();
    }

    @Test
    void aTimerArmedBeforeARestartInTheSameJvmStopsTicking() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        CanaryStageStep.Execution e = (CanaryStageStep.Execution) step("canary", true).start(ctx);
        e.start();
        ctx.bodySucceeds();
        host.timer.runDue(); // first measurement; the old execution's next wake-up stays queued in the shared timer

        host.controller = new Object(); // the controller restarted; the timer (a JVM-wide pool) lives on
        CanaryStageStep.Execution resumed = roundTrip(e);
        resumed.onResume();
        assertThat(host.timer.pending()).hasSize(2);
        t.clock.advance(java.time.Duration.ofSeconds(20));
        host.timer.runDue();

        assertThat(host.timer.pending()).as("only the resumed execution re-armed").hasSize(1);
        bakeAll();
        assertThat(ctx.record().succeeded).isTrue();
    }

    @Test
    void stoppingTheBuildCancelsTheTimerAndLeavesTheRolloutBaking() throws Exception {
        FakeStepContext ctx = deployed("canary", true);
        CanaryStageStep.Execution e = host.running.get(0);

        e.stop(new InterruptedException("aborted by alice"));

        assertThat(host.timer.pending()).isEmpty();
        assertThat(ctx.record().failure).hasMessage("aborted by alice");
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.BAKING);
    }

    @Test
    void stoppingDuringTheDeployLeavesTheRingToBeDeployedAgain() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        CanaryStageStep.Execution e = (CanaryStageStep.Execution) step("canary", true).start(ctx);
        e.start();
        InterruptedException aborted = new InterruptedException("aborted by alice");

        e.stop(aborted);

        assertThat(ctx.record().bodyCancelled).isTrue();
        assertThat(ctx.record().failure).isSameAs(aborted);
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.DEPLOYING);
        FakeStepContext next = new FakeStepContext(true);
        ((CanaryStageStep.Execution) step("canary", true).start(next)).start();
        assertThat(next.record().log()).contains("was interrupted; deploying it again");
        assertThat(next.record().bodyContexts).hasSize(1);
    }

    @Test
    void aSecondBuildAttachesToTheBakeWithoutRedeploying() throws Exception {
        deployed("canary", true);
        FakeStepContext second = new FakeStepContext(true);

        CanaryStageStep.Execution e = (CanaryStageStep.Execution) step("canary", true).start(second);
        e.start();

        assertThat(second.record().bodyContexts).isEmpty();
        assertThat(second.record().log()).contains("attaching to its bake");
    }

    @Test
    void badArgumentsFailTheStepNamingTheArgument() throws Exception {
        CanaryStageStep s = step("canary", true);
        s.setPlan("rollout.yaml");

        CanaryStageStep.Execution e = (CanaryStageStep.Execution) s.start(new FakeStepContext(true));

        org.assertj.core.api.Assertions.assertThatThrownBy(e::start).isInstanceOf(AbortException.class)
                .hasMessageContaining("plan: (a file) or planText: (its content), not both");
        assertThat(t.service.read(KEY)).isEmpty();
    }

    CanaryStageStep windowedStep() {
        CanaryStageStep s = new CanaryStageStep(KEY, "canary");
        s.setVersion("v2");
        s.setPlanText(io.jenkins.plugins.stagedrollout.fixtures.Plans.threeRingsInOfficeHours(t.health.url()));
        return s;
    }

    @Test
    void outsideItsWindowTheStageWaitsOnTheTimerAndDeploysAtTheOpening() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        CanaryStageStep.Execution e = (CanaryStageStep.Execution) windowedStep().start(ctx);

        assertThat(e.start()).isFalse();

        assertThat(ctx.record().bodyContexts).isEmpty();
        assertThat(ctx.record().log().lines().filter(l -> l.contains("waits:")))
                .singleElement().asString().contains("outside the deployment window office-hours").contains("2026-11-26T12:00:00Z");
        assertThat(e.phase()).isEqualTo(CanaryStageStep.Execution.Phase.WINDOW);
        assertThat(host.timer.pending()).singleElement()
                .satisfies(task -> assertThat(task.at()).isEqualTo(io.jenkins.plugins.stagedrollout.fixtures.Plans.WINDOW_OPENS));
        assertThat(e.getStatus()).contains("waits for its deployment window");
        assertThat(ctx.record().saves).isPositive();

        host.timer.runUntilIdle(io.jenkins.plugins.stagedrollout.fixtures.Plans.WINDOW_OPENS);

        assertThat(ctx.record().bodyContexts).hasSize(1);
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.DEPLOYING);
        ctx.bodySucceeds();
        bakeAll();
        assertThat(ctx.record().succeeded).isTrue();
    }

    @Test
    void aRollbackWhileWaitingForTheWindowFailsTheStageAtOnce() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        CanaryStageStep.Execution e = (CanaryStageStep.Execution) windowedStep().start(ctx);
        host.running.add(e);
        e.start();

        t.service.rollback(KEY, "release cancelled", TestRollouts.ALICE, true, io.stagedrollout.core.engine.EngineListener.NONE);
        host.changed(KEY);
        host.timer.runDue();

        assertThat(ctx.record().failure).isInstanceOf(AbortException.class).hasMessageContaining("release cancelled")
                .hasMessageContaining("ring canary cannot run");
        assertThat(ctx.record().bodyContexts).isEmpty();
        assertThat(host.timer.pending()).isEmpty();
    }

    @Test
    void anOverrideReasonDeploysAtOnceAndIsJournaled() throws Exception {
        CanaryStageStep s = windowedStep();
        s.setOverrideWindowReason("hotfix for INC-42");
        FakeStepContext ctx = new FakeStepContext(true);

        ((CanaryStageStep.Execution) s.start(ctx)).start();

        assertThat(ctx.record().bodyContexts).hasSize(1);
        assertThat(t.service.history(KEY)).filteredOn(ev -> ev.type().equals("WINDOW_OVERRIDDEN")).singleElement()
                .satisfies(ev -> {
                    assertThat(ev.evidence()).containsEntry("overrideReason", "hotfix for INC-42");
                    assertThat(ev.actor().via()).isEqualTo("jenkins");
                });
    }

    @Test
    void aFreezeWithoutAKnownEndFailsTheStageClearly() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        ctx.record().env = new EnvVars();
        ctx.record().env.put("CI_DEPLOY_FREEZE", "true");
        CanaryStageStep.Execution e = (CanaryStageStep.Execution) step("canary", true).start(ctx);

        org.assertj.core.api.Assertions.assertThatThrownBy(e::start).isInstanceOf(AbortException.class)
                .hasMessageContaining("ring canary cannot be deployed now: in a deploy freeze")
                .hasMessageContaining("CI_DEPLOY_FREEZE")
                .hasMessageContaining("the next opening is not known");
        assertThat(ctx.record().bodyContexts).isEmpty();
        assertThat(host.timer.pending()).isEmpty();
    }

    @Test
    void afterARestartTheWindowTimerIsReArmedForTheOpening() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        CanaryStageStep.Execution e = (CanaryStageStep.Execution) windowedStep().start(ctx);
        e.start();

        CanaryStageStep.Execution resumed = roundTrip(e);
        host.timer = new io.jenkins.plugins.stagedrollout.fixtures.ManualScheduler(t.clock); // the old timer died
        t.clock.set(Instant.parse("2026-11-26T11:00:00Z"));
        resumed.onResume();

        assertThat(host.timer.pending()).singleElement()
                .satisfies(task -> assertThat(task.at()).isEqualTo(io.jenkins.plugins.stagedrollout.fixtures.Plans.WINDOW_OPENS));
        host.timer.runUntilIdle(io.jenkins.plugins.stagedrollout.fixtures.Plans.WINDOW_OPENS);
        assertThat(ctx.record().bodyContexts).hasSize(1);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object result) {
        return (Map<String, Object>) result;
    }

    static CanaryStageStep.Execution roundTrip(CanaryStageStep.Execution e) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (CanaryStageStep.Execution) in.readObject();
        }
    }
}
