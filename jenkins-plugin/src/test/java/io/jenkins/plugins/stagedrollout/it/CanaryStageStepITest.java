package io.jenkins.plugins.stagedrollout.it;

import static io.jenkins.plugins.stagedrollout.it.Pipelines.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Item;
import hudson.model.Result;
import io.jenkins.plugins.stagedrollout.config.RolloutPermissions;
import io.jenkins.plugins.stagedrollout.fixtures.HealthServer;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.store.Lease;
import io.stagedrollout.core.store.LeaseHolder;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutLeases;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class CanaryStageStepITest {
    @RegisterExtension
    static BuildWatcherExtension buildWatcher = new BuildWatcherExtension();

    HealthServer health;

    @BeforeEach
    void startHealth() throws Exception {
        health = new HealthServer();
    }

    @AfterEach
    void stopHealth() {
        health.close();
    }

    WorkflowRun startDeploy(JenkinsRule j, String name, String version) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(Pipelines.threeStages(Pipelines.plan(health.url(), "2s"), version), true));
        return p.scheduleBuild2(0).waitForStart();
    }

    static void post(JenkinsRule.WebClient wc, JenkinsRule j, String path) throws Exception {
        WebRequest req = new WebRequest(new URL(j.getURL(), path), HttpMethod.POST);
        wc.addCrumb(req);
        wc.getPage(req);
    }

    @Test
    void aPipelineGoesThroughThreeRingsWithAPromoteByHttpPost(JenkinsRule j) throws Exception {
        WorkflowRun b = startDeploy(j, "deploy", "v1");
        j.waitForMessage("waits for a person to promote it", b);

        post(j.createWebClient(), j, b.getUrl() + "staged-rollout/promote?rollout=" + KEY + "&ring=early-adopters");

        j.assertBuildStatusSuccess(j.waitForCompletion(b));
        j.assertLogContains("deploying v1 to canary at 5%", b);
        j.assertLogContains("deploying v1 to everyone at 100%", b);
        j.assertLogContains("rollout of v1 completed", b);
        assertThat(Rollouts.host().service().read(KEY).orElseThrow().status()).isEqualTo(Status.COMPLETED);
        assertThat(Rollouts.host().service().history(KEY)).filteredOn(e -> e.type().equals("PROMOTED"))
                .extracting(RolloutEvent::actor).anySatisfy(a -> assertThat(a.url()).endsWith(b.getUrl()));
    }

    @Test
    void aPromoteStepInASecondBuildReleasesTheFirst(JenkinsRule j) throws Exception {
        Pipelines.own("deploy", "approve"); // the owner of the rollout lets the approve job promote it
        WorkflowRun b = startDeploy(j, "deploy", "v1");
        j.waitForMessage("waits for a person to promote it", b);
        WorkflowJob approver = j.createProject(WorkflowJob.class, "approve");
        approver.setDefinition(new CpsFlowDefinition(
                "def s = promote(rollout: '" + KEY + "', ring: 'early-adopters')\necho \"now ${s.status}\"", true));

        WorkflowRun a = j.buildAndAssertSuccess(approver);

        j.assertLogContains("now PROMOTING", a);
        j.assertBuildStatusSuccess(j.waitForCompletion(b));
        j.buildAndAssertSuccess(approver); // the same promote again: already done, still a success
    }

    @Test
    void aFailingGateFailsTheBuildAndTheRollbackRevertsIt(JenkinsRule j) throws Exception {
        health.answer(503);

        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(startDeploy(j, "deploy", "v2")));

        j.assertLogContains("ring canary FAIL", b);
        j.assertLogContains("503", b);
        j.assertLogContains("reverting to", b);
        j.assertLogNotContains("deploying v2 to early-adopters", b);
        assertThat(Rollouts.host().service().read(KEY).orElseThrow().status()).isEqualTo(Status.ROLLED_BACK);
    }

    @Test
    void rollbackFromTheBuildPageFailsTheWaitingStage(JenkinsRule j) throws Exception {
        WorkflowRun b = startDeploy(j, "deploy", "v1");
        j.waitForMessage("waits for a person to promote it", b);

        post(j.createWebClient(), j, b.getUrl() + "staged-rollout/rollback?rollout=" + KEY + "&reason=latency");

        j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(b));
        j.assertLogContains("latency", b);
        assertThat(Rollouts.host().service().read(KEY).orElseThrow().status()).isEqualTo(Status.ROLLED_BACK);
    }

    @Test
    void promoteNeedsPostAndThePromotePermission(JenkinsRule j) throws Exception {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().to("viewer")
                .grant(Jenkins.READ, Item.READ, RolloutPermissions.PROMOTE).everywhere().to("releaser"));
        WorkflowRun b = startDeploy(j, "deploy", "v1");
        j.waitForMessage("waits for a person to promote it", b);
        String path = b.getUrl() + "staged-rollout/promote?rollout=" + KEY + "&ring=early-adopters";

        JenkinsRule.WebClient viewer = j.createWebClient().login("viewer");
        viewer.setThrowExceptionOnFailingStatusCode(false);
        WebRequest post = new WebRequest(new URL(j.getURL(), path), HttpMethod.POST);
        viewer.addCrumb(post);
        Page denied = viewer.getPage(post);
        Page get = viewer.getPage(new WebRequest(new URL(j.getURL(), path), HttpMethod.GET));

        assertThat(denied.getWebResponse().getStatusCode()).isEqualTo(403);
        assertThat(get.getWebResponse().getStatusCode()).isEqualTo(405);
        assertThat(Rollouts.host().service().read(KEY).orElseThrow().status()).isEqualTo(Status.AWAITING_APPROVAL);

        post(j.createWebClient().login("releaser"), j, path);
        j.assertBuildStatusSuccess(j.waitForCompletion(b));
    }

    @Test
    void theRolloutsPageListsTheActiveRollout(JenkinsRule j) throws Exception {
        WorkflowRun b = startDeploy(j, "deploy", "v1");
        j.waitForMessage("waits for a person to promote it", b);

        String page = j.createWebClient().goTo("staged-rollouts/").asNormalizedText();

        assertThat(page).contains(KEY).contains("AWAITING_APPROVAL").contains("early-adopters");
        post(j.createWebClient(), j, "staged-rollouts/promote?rollout=" + KEY + "&ring=early-adopters");
        j.assertBuildStatusSuccess(j.waitForCompletion(b));
    }

    @Test
    void rolloutStatusReadsTheRolloutInALaterBuild(JenkinsRule j) throws Exception {
        WorkflowRun b = startDeploy(j, "deploy", "v1");
        j.waitForMessage("waits for a person to promote it", b);
        post(j.createWebClient(), j, b.getUrl() + "staged-rollout/promote?rollout=" + KEY + "&ring=early-adopters");
        j.assertBuildStatusSuccess(j.waitForCompletion(b));
        WorkflowJob later = j.createProject(WorkflowJob.class, "later");
        later.setDefinition(new CpsFlowDefinition(
                "def s = rolloutStatus(rollout: '" + KEY + "')\necho \"${s.status} ${s.lastGoodVersion}\"", true));

        j.assertLogContains("COMPLETED v1", j.buildAndAssertSuccess(later));
    }

    @Test
    void abortingTheBuildDuringTheDeployIsNotAFailedDeploy(JenkinsRule j) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "deploy");
        p.setDefinition(new CpsFlowDefinition("def plan = '''" + Pipelines.plan(health.url(), "1s") + "'''\n"
                + "canaryStage(rollout: '" + KEY + "', ring: 'canary', version: 'v1', planText: plan) {\n"
                + "  echo 'deploy started'\n"
                + "  sleep 600\n"
                + "}\n", true));
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("deploy started", b);

        b.doStop();

        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
        assertThat(Rollouts.host().service().read(KEY).orElseThrow().status()).isEqualTo(Status.DEPLOYING);
        assertThat(Rollouts.host().service().history(KEY)).extracting(RolloutEvent::type)
                .doesNotContain("RING_DEPLOYED", "RING_FAILED", "ROLLBACK_STARTED");
    }

    @Test
    void aStageWaitsWhileACliDriverHoldsTheKeyAndDeploysOnceItLetsGo(JenkinsRule j) throws Exception {
        RolloutLeases leases = Rollouts.host().service().store().leases();
        Lease cli = leases.acquire(RolloutKey.parse(KEY), new RolloutLeases.Claim(new LeaseHolder("rollout run (bob)",
                "ci-runner-3", null, 4711, "2026-11-26T09:00:00Z", "cli-session"), null, Duration.ofMinutes(10), 0, false),
                Instant.now());
        WorkflowJob p = j.createProject(WorkflowJob.class, "deploy");
        p.setDefinition(new CpsFlowDefinition("def plan = '''" + Pipelines.plan(health.url(), "1s") + "'''\n"
                + "canaryStage(rollout: '" + KEY + "', ring: 'canary', version: 'v1', planText: plan) {\n"
                + "  echo 'deploying canary'\n"
                + "}\n", true));
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("another driver holds rollout " + KEY, b);

        assertThat(JenkinsRule.getLog(b)).contains("rollout run (bob)").doesNotContain("deploying canary");
        assertThat(Rollouts.host().service().read(KEY).orElseThrow().status()).isNotEqualTo(Status.DEPLOYING);

        leases.release(cli, Instant.now());
        j.assertBuildStatusSuccess(j.waitForCompletion(b));
        j.assertLogContains("deploying canary", b);
    }
}
