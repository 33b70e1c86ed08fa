package io.jenkins.plugins.stagedrollout.it;

import static io.jenkins.plugins.stagedrollout.it.Pipelines.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.jenkins.plugins.stagedrollout.fixtures.HangingServer;
import io.jenkins.plugins.stagedrollout.fixtures.HealthServer;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.jenkins.plugins.stagedrollout.logic.Caller;
import io.jenkins.plugins.stagedrollout.logic.RolloutService;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.Status;
import java.time.Duration;
import java.time.Instant;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * Issue 19 item 7: a controller restart at an awkward moment never leaves a build hanging — in the middle of the deploy
 * body, while a stage's deploy action runs (STARTING), and during a rollback's revert action (usePlanAction).
 * (Restarts while baking and while waiting for a person: CanaryStageRestartITest.)
 */
class RestartMatrixITest {
    @RegisterExtension
    static BuildWatcherExtension buildWatcher = new BuildWatcherExtension();

    @RegisterExtension
    JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    HealthServer health;
    HangingServer hanging;

    @BeforeEach
    void start() throws Exception {
        health = new HealthServer();
        hanging = new HangingServer();
    }

    @AfterEach
    void stop() {
        hanging.close();
        health.close();
    }

    static void awaitHeld(String name) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (!HoldStep.holding(name)) {
            assertThat(Instant.now()).as("the step %s is held again after the restart", name).isBefore(deadline);
            Thread.sleep(100); // polling a condition with a deadline
        }
    }

    @Test
    void aRestartInTheMiddleOfTheDeployBodyCarriesOn() throws Throwable {
        String plan = Pipelines.plan(health.url(), "1s");
        sessions.then(j -> {
            WorkflowJob p = j.createProject(WorkflowJob.class, "deploy");
            p.setDefinition(new CpsFlowDefinition("canaryStage(rollout: '" + KEY + "', ring: 'canary', version: 'v1',"
                    + " planText: '''" + plan + "''') {\n  hold('deploy')\n}\necho 'canary done'\n", true));
            j.waitForMessage("holding deploy", p.scheduleBuild2(0).waitForStart());
        });
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("deploy", WorkflowJob.class).getBuildByNumber(1);
            awaitHeld("deploy");
            HoldStep.release("deploy");
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("canary done", b);
            assertThat(Rollouts.host().service().history(KEY)).extracting(RolloutEvent::type)
                    .filteredOn("RING_DEPLOYING"::equals).hasSize(1);
            assertThat(Rollouts.host().service().read(KEY).orElseThrow().status()).isEqualTo(Status.PROMOTING);
        });
    }

    @Test
    void aRestartWhileThePlansDeployActionRunsEndsTheBuildClearly() throws Throwable {
        String plan = """
                service: checkout
                environment: production
                rings:
                  - {name: everyone, exposure: 100%, bake: 1s, deploy: hook}
                actions:
                  hook: {kind: webhook, url: DEPLOY, timeout: 10m, retries: 0}
                  revert: {kind: webhook, url: REVERT}
                """.replace("DEPLOY", hanging.url("/deploy")).replace("REVERT", health.url());
        sessions.then(j -> {
            WorkflowJob p = j.createProject(WorkflowJob.class, "deploy");
            p.setDefinition(new CpsFlowDefinition("canaryStage(rollout: '" + KEY + "', ring: 'everyone', version: 'v1',"
                    + " planText: '''" + plan + "''', usePlanAction: true) {}\n", true));
            p.scheduleBuild2(0).waitForStart();
            assertThat(hanging.awaitArrived(1, 120)).isTrue(); // the stage is STARTING: its deploy action runs
        });
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("deploy", WorkflowJob.class).getBuildByNumber(1);
            j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(b)); // ends; never hangs
            j.assertLogContains("the deploy of ring everyone was interrupted; run canaryStage without usePlanAction", b);
        });
    }

    @Test
    void aRollbackByThePlansActionCutShortByARestartFinishesItsRevertAfterIt() throws Throwable {
        String plan = """
                service: checkout
                environment: production
                rings:
                  - {name: everyone, exposure: 100%, bake: 1m}
                actions:
                  deploy: {kind: webhook, url: DEPLOY}
                  revert: {kind: webhook, url: REVERT, timeout: 10m, retries: 0}
                """.replace("REVERT", hanging.url("/revert")).replace("DEPLOY", health.url());
        sessions.then(j -> {
            Pipelines.own("undo");
            RolloutService service = Rollouts.host().service();
            Caller ci = Caller.of(new Actor("ci", "jenkins", null));
            service.enterStage(RolloutService.StageRequest.of(KEY, "everyone", "v2", service.readPlan(plan), true), ci);
            service.deployed(KEY, service.read(KEY).orElseThrow().id(), 0, true, "deployed", ci);
            WorkflowJob undo = j.createProject(WorkflowJob.class, "undo");
            undo.setDefinition(new CpsFlowDefinition("rollback(rollout: '" + KEY + "', reason: 'bad release', usePlanAction: true) {}", true));
            undo.scheduleBuild2(0).waitForStart();
            assertThat(hanging.awaitArrived(1, 120)).isTrue(); // the revert action runs when the controller stops
        });
        sessions.then(j -> {
            hanging.answerNewRequests(); // the old request stays unanswered, as for a process that died
            WorkflowRun b = j.jenkins.getItemByFullName("undo", WorkflowJob.class).getBuildByNumber(1);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            assertThat(Rollouts.host().service().read(KEY).orElseThrow().status()).isEqualTo(Status.ROLLED_BACK);
            assertThat(hanging.arrived()).isEqualTo(2);
        });
    }
}
