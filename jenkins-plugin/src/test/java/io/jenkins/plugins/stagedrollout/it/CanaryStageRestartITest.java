package io.jenkins.plugins.stagedrollout.it;

import static io.jenkins.plugins.stagedrollout.it.Pipelines.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.stagedrollout.fixtures.HealthServer;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A controller restart while a ring bakes, while it waits for a person, while it waits for its deployment window and
 * in the middle of its deploy: the build carries on where it was, and nothing is done twice.
 */
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

    @Test
    void aRestartWhileWaitingForTheWindowDeploysAtTheOpeningOnce() throws Throwable {
        // long enough for the restart to happen inside the freeze even on a loaded machine; the order is asserted
        Instant opens = Instant.now().plus(Duration.ofSeconds(30));
        String script = "def plan = '''" + Pipelines.frozenUntil(health.url(), opens) + "'''\n"
                + "canaryStage(rollout: '" + KEY + "', ring: 'canary', version: 'v1', planText: plan) {\n"
                + "  echo \"deploying ${env.ROLLOUT_VERSION} to ${env.ROLLOUT_RING}\"\n"
                + "}\n";
        sessions.then(j -> {
            WorkflowJob p = j.createProject(WorkflowJob.class, "deploy");
            p.setDefinition(new CpsFlowDefinition(script, true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            j.waitForMessage("ring canary waits: ", b);
            j.assertLogNotContains("deploying v1 to canary", b);
        });
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("deploy", WorkflowJob.class).getBuildByNumber(1);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            String log = JenkinsRule.getLog(b);
            assertThat(log.indexOf("resuming ring canary of " + KEY)).isNotNegative()
                    .isLessThan(log.indexOf("deploying v1 to canary"));
            assertThat(JenkinsRuleLogs.count(log, "RING_DEPLOYING [canary]")).isEqualTo(1);
            assertThat(Rollouts.host().service().history(KEY)).filteredOn(e -> e.type().equals("RING_DEPLOYING"))
                    .extracting(RolloutEvent::at).allSatisfy(at -> assertThat(at).isAfterOrEqualTo(opens));
        });
    }

    @Test
    void aRestartDuringTheDeployLetsTheBodyFinishAndRecordsItOnce() throws Throwable {
        String script = Pipelines.canaryWaitingForFile(Pipelines.plan(health.url(), "1s"), "v1");
        sessions.then(j -> {
            WorkflowJob p = j.createProject(WorkflowJob.class, "deploy");
            p.setDefinition(new CpsFlowDefinition(script, true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            j.waitForMessage("deploying v1 to canary", b);
            assertThat(Rollouts.host().service().read(KEY).orElseThrow().status()).isEqualTo(Status.DEPLOYING);
        });
        sessions.then(j -> {
            WorkflowJob p = j.jenkins.getItemByFullName("deploy", WorkflowJob.class);
            WorkflowRun b = p.getBuildByNumber(1);
            j.waitForMessage("Resuming build", b);
            j.jenkins.getWorkspaceFor(p).child("release").write("go", StandardCharsets.UTF_8.name());
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            String log = JenkinsRule.getLog(b);
            assertThat(JenkinsRuleLogs.count(log, "deploying v1 to canary")).isEqualTo(1);
            assertThat(log).contains("deploy finished").contains("RING_DEPLOYED [canary]").contains("RING_PASSED [canary]");
            assertThat(Rollouts.host().service().history(KEY)).filteredOn(e -> e.type().equals("RING_DEPLOYED")).hasSize(1);
        });
    }
}
