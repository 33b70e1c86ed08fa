package io.jenkins.plugins.stagedrollout.it;

import static io.jenkins.plugins.stagedrollout.it.Pipelines.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.jenkins.plugins.stagedrollout.fixtures.HangingServer;
import io.jenkins.plugins.stagedrollout.fixtures.HealthServer;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.Status;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Issue 19 items 4 and 5 in a real Jenkins: the steps never block the Pipeline's CPS thread — a deploy action and a
 * notification target that never answer leave the rest of the build running and Abort working — and an abort during
 * the deploy body is an interruption, not a failed deploy.
 */
@WithJenkins
class PipelineThreadITest {
    @RegisterExtension
    static BuildWatcherExtension buildWatcher = new BuildWatcherExtension();

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

    @Test
    void aDeployActionAndANotificationTargetThatNeverAnswerFreezeNothing(JenkinsRule j) throws Exception {
        String plan = """
                service: checkout
                environment: production
                rings:
                  - {name: everyone, exposure: 100%, bake: 1s, deploy: hook}
                actions:
                  hook: {kind: webhook, url: DEPLOY, timeout: 10m, retries: 0}
                  revert: {kind: webhook, url: REVERT}
                notify:
                  chat: {kind: webhook, url: NOTIFY, timeout: 10m, retries: 0}
                """.replace("DEPLOY", hanging.url("/deploy")).replace("NOTIFY", hanging.url("/notify"))
                .replace("REVERT", health.url());
        WorkflowJob p = j.createProject(WorkflowJob.class, "deploy");
        p.setDefinition(new CpsFlowDefinition("parallel rollout: {\n"
                + "  canaryStage(rollout: '" + KEY + "', ring: 'everyone', version: 'v1', planText: '''" + plan + "''',"
                + " usePlanAction: true) {}\n"
                + "}, other: {\n"
                + "  hold('other')\n"
                + "  echo 'the other branch went on'\n"
                + "}\n", true));

        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        assertThat(hanging.awaitArrived(2, 120)).isTrue(); // the started notification and the deploy are both held
        j.waitForMessage("holding other", b);
        assertThat(HoldStep.release("other")).isTrue();

        j.waitForMessage("the other branch went on", b); // the CPS thread is free while both hang
        Pipelines.abort(b);
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b)); // and Abort works

        // let the held deploy finish and its worker give the key's lease back before Jenkins (and its store) goes away
        hanging.release();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (Rollouts.host().workers().busyKeys() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling a condition with a deadline
        }
        assertThat(Rollouts.host().workers().busyKeys()).as("the plugin's work for the aborted build ended").isZero();
    }

    String oneRingPlan() {
        return Pipelines.plan(health.url(), "1s");
    }

    @Test
    void anAbortDuringTheDeployIsNotAFailedDeployAndTheNextBuildDeploysAgain(JenkinsRule j) throws Exception {
        Pipelines.own("deploy");
        WorkflowJob p = j.createProject(WorkflowJob.class, "deploy");
        p.setDefinition(new CpsFlowDefinition("canaryStage(rollout: '" + KEY + "', ring: 'canary', version: 'v1',"
                + " planText: '''" + oneRingPlan() + "''') {\n"
                + "  hold(\"deploy-${env.BUILD_NUMBER}\")\n"
                + "}\n", true));
        WorkflowRun first = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("holding deploy-1", first);

        Pipelines.abort(first);

        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(first));
        j.assertLogContains("ring canary stays DEPLOYING", first);
        assertThat(Rollouts.host().service().read(KEY).orElseThrow().status()).isEqualTo(Status.DEPLOYING);
        assertThat(Rollouts.host().service().history(KEY)).extracting(RolloutEvent::type).doesNotContain("DEPLOY_FAILED");

        WorkflowRun second = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("holding deploy-2", second);
        j.assertLogContains("was interrupted; deploying it again", second);
        HoldStep.release("deploy-2");
        j.assertBuildStatusSuccess(j.waitForCompletion(second));
        assertThat(Rollouts.host().service().read(KEY).orElseThrow().status()).isEqualTo(Status.PROMOTING);
    }

    @Test
    void aTimeoutAroundTheDeployIsAnInterruptionToo(JenkinsRule j) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "deploy");
        p.setDefinition(new CpsFlowDefinition("timeout(time: 3, unit: 'SECONDS') {\n"
                + "  canaryStage(rollout: '" + KEY + "', ring: 'canary', version: 'v1', planText: '''" + oneRingPlan() + "''') {\n"
                + "    hold('forever')\n"
                + "  }\n"
                + "}\n", true));

        WorkflowRun b = j.waitForCompletion(p.scheduleBuild2(0).waitForStart());

        assertThat(b.getResult()).isIn(Result.ABORTED, Result.FAILURE);
        j.assertLogContains("ring canary stays DEPLOYING", b);
        assertThat(Rollouts.host().service().read(KEY).orElseThrow().status()).isEqualTo(Status.DEPLOYING);
    }
}
