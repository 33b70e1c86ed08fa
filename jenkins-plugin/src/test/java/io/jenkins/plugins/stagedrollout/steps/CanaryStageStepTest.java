package io.jenkins.plugins.stagedrollout.steps;

import static io.jenkins.plugins.stagedrollout.fixtures.TestRollouts.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import hudson.EnvVars;
import io.jenkins.plugins.stagedrollout.fixtures.FakeHost;
import io.jenkins.plugins.stagedrollout.fixtures.FakeStepContext;
import io.jenkins.plugins.stagedrollout.fixtures.Plans;
import io.jenkins.plugins.stagedrollout.fixtures.TestRollouts;
import io.jenkins.plugins.stagedrollout.logic.StageRun;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.machine.Target;
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

/**
 * The canaryStage step's Jenkins glue, driven through fakes of the pipeline around it and the real engine. The test's
 * thread plays the CPS thread ({@code start()}, the body's callbacks) and, when it calls {@code host.runDue()}, the
 * plugin's workers and Jenkins' timer.
 */
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

    /** Starts the step as the pipeline would (on the CPS thread), then lets the workers run. */
    CanaryStageStep.Execution started(CanaryStageStep step, FakeStepContext ctx) throws Exception {
        CanaryStageStep.Execution e = (CanaryStageStep.Execution) step.start(ctx);
        host.running.add(e);
        assertThat(e.start()).isFalse();
        host.runDue();
        return e;
    }

    /** Starts the stage, ends its body successfully; returns the context. */
    FakeStepContext deployed(String ring, boolean first) throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        started(step(ring, first), ctx);
        ctx.bodySucceeds();
        host.runDue();
        return ctx;
    }

    void bakeAll() {
        host.timer.runUntilIdle(t.clock.instant().plus(Duration.ofMinutes(5)));
    }

    @Test
    void startDoesNoWorkOnThePipelineThread() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        CanaryStageStep.Execution e = (CanaryStageStep.Execution) step("canary", true).start(ctx);

        boolean doneAtOnce = e.start();

        assertThat(doneAtOnce).isFalse();
        assertThat(t.service.read(KEY)).isEmpty(); // the store is not touched on the CPS thread
        assertThat(ctx.record().bodyContexts).isEmpty();
        assertThat(e.blocksRestart()).isTrue(); // a safe restart waits for the queued work
        host.runDue();
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.DEPLOYING);
        assertThat(ctx.record().bodyContexts).hasSize(1);
        assertThat(e.blocksRestart()).isFalse();
    }

    @Test
    void theBodyDeploysWithTheRingsVariables() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        started(step("canary", true), ctx);

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
    void bakingSavesThePipelineOnlyWhenThePhaseChanges() throws Exception {
        FakeStepContext ctx = deployed("canary", true);
        int savesWhenBakingBegan = ctx.record().saves;

        for (int i = 0; i < 2; i++) {
            t.clock.set(host.timer.pending().get(0).at());
            host.runDue();
        }

        assertThat(t.service.read(KEY).orElseThrow().gates().get(0).measurements()).isGreaterThanOrEqualTo(2);
        assertThat(ctx.record().saves).isEqualTo(savesWhenBakingBegan);
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
        started(step("canary", true), ctx);
        AbortException scriptFailed = new AbortException("script returned exit code 2");

        ctx.bodyFails(scriptFailed);
        host.runDue();

        assertThat(ctx.record().failure).isSameAs(scriptFailed);
        assertThat(t.service.read(KEY).orElseThrow().status()).isIn(Status.ROLLING_BACK, Status.ROLLED_BACK);
        assertThat(host.timer.pending()).isEmpty();
    }

    @Test
    void anAbortDuringTheDeployIsNotAFailedDeploy() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        started(step("canary", true), ctx);
        InterruptedException aborted = new InterruptedException("aborted by alice"); // FlowInterruptedException is one

        ctx.bodyFails(aborted);
        host.runDue();

        assertThat(ctx.record().failure).isSameAs(aborted);
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.DEPLOYING);
        assertThat(t.service.history(KEY)).extracting(ev -> ev.type()).doesNotContain("DEPLOY_FAILED");
        assertThat(ctx.record().log()).contains("ring canary stays DEPLOYING");
    }

    @Test
    void stoppingDuringTheDeployLeavesTheRingToBeDeployedAgain() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        CanaryStageStep.Execution e = started(step("canary", true), ctx);
        RuntimeException stopCause = new RuntimeException("stopped by a timeout");

        e.stop(stopCause);
        host.runDue();

        assertThat(ctx.record().bodyCancelled).isTrue();
        assertThat(ctx.record().failure).isSameAs(stopCause);
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.DEPLOYING);
        FakeStepContext next = new FakeStepContext(true);
        started(step("canary", true), next);
        assertThat(next.record().log()).contains("was interrupted; deploying it again");
        assertThat(next.record().bodyContexts).hasSize(1);
    }

    @Test
    void aSecondStageWaitsForARingStillBeingDeployedInsteadOfDeployingItAgain() throws Exception {
        FakeStepContext first = new FakeStepContext(true);
        started(step("canary", true), first);
        FakeStepContext second = new FakeStepContext(true, FakeHost.JOB + "#2");

        started(step("canary", true), second);

        assertThat(second.record().bodyContexts).isEmpty();
        assertThat(second.record().log()).contains("is being deployed by another build or driver");
        first.bodySucceeds();
        host.runDue();
        bakeAll();
        assertThat(first.record().succeeded).isTrue();
        assertThat(second.record().succeeded).isTrue();
        assertThat(t.service.history(KEY)).extracting(ev -> ev.type()).filteredOn("RING_DEPLOYING"::equals).hasSize(1);
    }

    @Test
    void whenTheDeployingBuildIsAbortedTheWaitingStageDeploysTheRing() throws Exception {
        FakeStepContext first = new FakeStepContext(true);
        started(step("canary", true), first);
        FakeStepContext second = new FakeStepContext(true, FakeHost.JOB + "#2");
        started(step("canary", true), second);

        first.bodyFails(new InterruptedException("aborted"));
        host.runDue();
        t.clock.set(host.timer.pending().get(0).at()); // the waiting stage's next look
        host.runDue();

        assertThat(second.record().bodyContexts).hasSize(1);
        assertThat(second.record().log()).contains("was interrupted; deploying it again");
    }

    @Test
    void twoWakeUpsAtOnceLookOnce() throws Exception {
        deployed("canary", true);
        CanaryStageStep.Execution e = host.running.get(0);
        int hits = t.health.hits();

        e.rolloutChanged(KEY);
        e.rolloutChanged(KEY);
        e.rolloutChanged(KEY);
        host.runDue();

        // one look ran, a second was queued behind it; measurements are due 20s apart, so at most one measured
        assertThat(t.health.hits() - hits).isLessThanOrEqualTo(1);
        assertThat(host.timer.pending()).hasSize(1);
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
        FakeStepContext p = new FakeStepContext(false);

        StepStarter.start(promote, p);
        host.runDue();

        assertThat(asMap(p.record().result)).containsEntry("status", "PROMOTING");
        assertThat(waiter.record().succeeded).isTrue();
    }

    @Test
    void aPromoteFromElsewhereIsSeenByThePoll() throws Exception {
        FakeStepContext waiter = waitingOnManualRing();
        t.service.promote(KEY, "early-adopters", Target.ANY, TestRollouts.AS_ALICE); // the CLI: no wake-up call

        bakeAll();

        assertThat(waiter.record().succeeded).isTrue();
    }

    @Test
    void aStageOfAJobThatDoesNotOwnTheRolloutIsRefusedAndChangesNothing() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true, "other-team/deploy#7");

        started(step("canary", true), ctx);

        assertThat(ctx.record().failure).isInstanceOf(AbortException.class)
                .hasMessageContaining("belongs to " + FakeHost.JOB).hasMessageContaining("other-team/deploy is not granted");
        assertThat(t.service.read(KEY)).isEmpty();
        assertThat(host.recorded).doesNotContainKey("other-team/deploy#7");
    }

    @Test
    void theFirstStartOnAKeyNobodyOwnsClaimsItForTheJob() throws Exception {
        String key = "payments/production";
        CanaryStageStep s = new CanaryStageStep(key, "canary");
        s.setVersion("v1");
        s.setPlanText(t.planText().replace("service: checkout", "service: payments"));

        started(s, new FakeStepContext(true, "payments/deploy#1"));

        assertThat(host.owners.decide(key, "payments/deploy").allowed()).isTrue();
        assertThat(host.owners.decide(key, FakeHost.JOB).allowed()).isFalse();
    }

    @Test
    void afterARestartTheTimerIsReArmedForThePersistedMoment() throws Exception {
        FakeStepContext ctx = deployed("canary", true);
        CanaryStageStep.Execution e = host.running.get(0);
        t.clock.set(host.timer.pending().get(0).at());
        host.runDue(); // a measurement; the next is due 20s later
        Instant due = host.timer.pending().get(0).at();

        CanaryStageStep.Execution resumed = roundTrip(e);
        host.restart();
        resumed.onResume();

        assertThat(host.timer.pending()).singleElement().satisfies(task -> assertThat(task.at()).isBeforeOrEqualTo(due));
        bakeAll();
        assertThat(ctx.record().succeeded).isTrue();
    }

    @Test
    void aTimerArmedBeforeARestartInTheSameJvmStopsTicking() throws Exception {
        FakeStepContext ctx = deployed("canary", true);
        host.runDue(); // first measurement; the old execution's next wake-up stays queued in the JVM-wide timer

        host.controller = new Object(); // the controller restarted; the timer (a JVM-wide pool) lives on
        CanaryStageStep.Execution resumed = roundTrip(host.running.get(0));
        resumed.onResume();
        assertThat(host.timer.pending()).hasSize(2);
        t.clock.advance(Duration.ofSeconds(20));
        host.runDue();

        assertThat(host.timer.pending()).as("only the resumed execution re-armed").hasSize(1);
        bakeAll();
        assertThat(ctx.record().succeeded).isTrue();
    }

    @Test
    void aRestartWhileTheStageWasStartingEntersItAgain() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        CanaryStageStep.Execution e = (CanaryStageStep.Execution) step("canary", true).start(ctx);
        e.start(); // the work was queued, then the controller died

        CanaryStageStep.Execution resumed = roundTrip(e);
        host.restart();
        resumed.onResume();
        host.runDue();

        assertThat(resumed.phase()).isEqualTo(StageRun.Phase.DEPLOYING);
        assertThat(ctx.record().bodyContexts).hasSize(1);
        assertThat(t.service.history(KEY)).extracting(ev -> ev.type()).filteredOn("STARTED"::equals).hasSize(1);
    }

    @Test
    void aRestartWhileTheDeployWasBeingRecordedRecordsIt() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        CanaryStageStep.Execution e = started(step("canary", true), ctx);
        ctx.bodySucceeds(); // recording queued, then the controller died

        CanaryStageStep.Execution resumed = roundTrip(e);
        host.restart();
        resumed.onResume();
        host.runDue();

        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.BAKING);
        assertThat(resumed.phase()).isEqualTo(StageRun.Phase.BAKING);
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
    void aStopEndsTheStepAtOnceEvenWhileItsWorkIsQueued() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        CanaryStageStep.Execution e = (CanaryStageStep.Execution) step("canary", true).start(ctx);
        e.start();

        e.stop(new InterruptedException("aborted"));
        host.runDue();

        assertThat(ctx.record().failure).hasMessage("aborted");
        assertThat(t.service.read(KEY)).isEmpty();
        assertThat(ctx.record().bodyContexts).isEmpty();
    }

    @Test
    void aSecondBuildAttachesToTheBakeWithoutRedeploying() throws Exception {
        deployed("canary", true);
        FakeStepContext second = new FakeStepContext(true, FakeHost.JOB + "#2");

        started(step("canary", true), second);

        assertThat(second.record().bodyContexts).isEmpty();
        assertThat(second.record().log()).contains("attaching to its bake");
    }

    @Test
    void badArgumentsFailTheStepNamingTheArgument() throws Exception {
        CanaryStageStep s = step("canary", true);
        s.setPlan("rollout.yaml");

        CanaryStageStep.Execution e = (CanaryStageStep.Execution) s.start(new FakeStepContext(true));

        assertThatThrownBy(e::start).isInstanceOf(AbortException.class)
                .hasMessageContaining("plan: (a file) or planText: (its content), not both");
        assertThat(t.service.read(KEY)).isEmpty();
    }

    @Test
    void aCredentialBoundTwiceIsRefusedNamingIt() {
        CanaryStageStep s = step("canary", true);
        s.setCredentials(java.util.List.of(new CredentialBinding("PROM_TOKEN", "a"), new CredentialBinding("PROM_TOKEN", "b")));

        assertThatThrownBy(() -> s.start(new FakeStepContext(true))).isInstanceOf(AbortException.class)
                .hasMessage("canaryStage: credentials[1].variable: PROM_TOKEN is bound twice");
    }

    CanaryStageStep windowedStep() {
        CanaryStageStep s = new CanaryStageStep(KEY, "canary");
        s.setVersion("v2");
        s.setPlanText(Plans.threeRingsInOfficeHours(t.health.url()));
        return s;
    }

    @Test
    void outsideItsWindowTheStageWaitsOnTheTimerAndDeploysAtTheOpening() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        CanaryStageStep.Execution e = started(windowedStep(), ctx);

        assertThat(ctx.record().bodyContexts).isEmpty();
        assertThat(ctx.record().log().lines().filter(l -> l.contains("waits:")))
                .singleElement().asString().contains("outside the deployment window office-hours").contains("2026-11-26T12:00:00Z");
        assertThat(e.phase()).isEqualTo(StageRun.Phase.WINDOW);
        assertThat(host.timer.pending()).singleElement().satisfies(task -> assertThat(task.at()).isEqualTo(Plans.WINDOW_OPENS));
        assertThat(e.getStatus()).contains("waits for its deployment window");
        assertThat(ctx.record().saves).isPositive();

        host.timer.runUntilIdle(Plans.WINDOW_OPENS);

        assertThat(ctx.record().bodyContexts).hasSize(1);
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.DEPLOYING);
        ctx.bodySucceeds();
        host.runDue();
        bakeAll();
        assertThat(ctx.record().succeeded).isTrue();
    }

    @Test
    void aRollbackWhileWaitingForTheWindowFailsTheStageAtOnce() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        started(windowedStep(), ctx);

        t.service.rollback(KEY, "release cancelled", Target.ANY, true, TestRollouts.AS_ALICE);
        host.changed(KEY);
        host.runDue();

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

        started(s, ctx);

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

        started(step("canary", true), ctx);

        assertThat(ctx.record().failure).isInstanceOf(AbortException.class)
                .hasMessageContaining("ring canary cannot be deployed now: in a deploy freeze")
                .hasMessageContaining("CI_DEPLOY_FREEZE")
                .hasMessageContaining("the next opening is not known");
        assertThat(ctx.record().bodyContexts).isEmpty();
        assertThat(host.timer.pending()).isEmpty();
    }

    @Test
    void afterARestartTheWindowTimerIsReArmedForTheOpening() throws Exception {
        FakeStepContext ctx = new FakeStepContext(true);
        CanaryStageStep.Execution e = started(windowedStep(), ctx);

        CanaryStageStep.Execution resumed = roundTrip(e);
        host.restart();
        t.clock.set(Instant.parse("2026-11-26T11:00:00Z"));
        resumed.onResume();

        assertThat(host.timer.pending()).singleElement().satisfies(task -> assertThat(task.at()).isEqualTo(Plans.WINDOW_OPENS));
        host.timer.runUntilIdle(Plans.WINDOW_OPENS);
        assertThat(ctx.record().bodyContexts).hasSize(1);
    }

    @Test
    void usePlanActionDeploysWithThePlansActionAndNeverRunsTheBody() throws Exception {
        CanaryStageStep s = step("canary", true);
        s.setPlanText(t.planText() + "actions:\n  deploy: {kind: webhook, url: " + t.health.url() + "}\n"
                + "  revert: {kind: webhook, url: " + t.health.url() + "}\n");
        s.setUsePlanAction(true);
        FakeStepContext ctx = new FakeStepContext(true); // Pipeline gives a block step a body, here an empty one

        started(s, ctx);
        bakeAll();

        assertThat(ctx.record().bodyContexts).isEmpty();
        assertThat(ctx.record().failure).isNull();
        assertThat(ctx.record().succeeded).as(ctx.record().log()).isTrue();
        assertThat(t.service.history(KEY)).extracting(ev -> ev.type()).contains("RING_DEPLOYED");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object result) {
        return (Map<String, Object>) result;
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T e) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
