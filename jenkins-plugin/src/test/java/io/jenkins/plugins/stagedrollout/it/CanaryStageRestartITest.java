package io.jenkins.plugins.stagedrollout.it;

import static io.jenkins.plugins.stagedrollout.it.Pipelines.KEY;

import io.jenkins.plugins.stagedrollout.fixtures.HealthServer;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** A controller restart while a ring bakes, and while a ring waits for a person: the build carries on. */
class CanaryStageRestartITest {
    @RegisterExtension
    static BuildWatcherExtension buildWatcher = new BuildWatcherExtension();

    @RegisterExtension
    JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    HealthServer health;

    @BeforeEach
    void startHealth() throws Exception {
        health = new HealthServer();
    }

    @AfterEach
    void stopHealth() {
        health.close();
    }

    @Test
    void aRestartWhileBakingReArmsTheTimer() throws Throwable {
        String script = Pipelines.threeStages(Pipelines.plan(health.url(), "15s"), "v1");
        sessions.then(j -> {
            Pipelines.own("deploy", "approve"); // the owner of the rollout lets the approve job promote it
            WorkflowJob p = j.createProject(WorkflowJob.class, "deploy");
            p.setDefinition(new CpsFlowDefinition(script, true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            j.waitForMessage("RING_DEPLOYED [canary]", b);
        });
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("deploy", WorkflowJob.class).getBuildByNumber(1);
            j.waitForMessage("resuming ring canary of " + KEY, b);
            j.waitForMessage("waits for a person to promote it", b);
            WorkflowJob approver = j.createProject(WorkflowJob.class, "approve");
            approver.setDefinition(new CpsFlowDefinition("promote(rollout: '" + KEY + "', ring: 'early-adopters')", true));
            j.buildAndAssertSuccess(approver);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("RING_PASSED [canary]", b);
        });
    }

    @Test
    void aRestartWhileWaitingKeepsWaitingForThePromote() throws Throwable {
        String script = Pipelines.threeStages(Pipelines.plan(health.url(), "1s"), "v1");
        sessions.then(j -> {
            Pipelines.own("deploy", "approve"); // the owner of the rollout lets the approve job promote it
            WorkflowJob p = j.createProject(WorkflowJob.class, "deploy");
            p.setDefinition(new CpsFlowDefinition(script, true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            j.waitForMessage("waits for a person to promote it", b);
        });
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("deploy", WorkflowJob.class).getBuildByNumber(1);
            j.waitForMessage("resuming ring early-adopters of " + KEY, b);
            WorkflowJob approver = j.createProject(WorkflowJob.class, "approve");
            approver.setDefinition(new CpsFlowDefinition("promote(rollout: '" + KEY + "', ring: 'early-adopters')", true));
            j.buildAndAssertSuccess(approver);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("rollout of v1 completed", b);
        });
    }
}
