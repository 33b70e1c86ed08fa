package io.jenkins.plugins.stagedrollout.it;

import static io.jenkins.plugins.stagedrollout.it.Pipelines.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Item;
import io.jenkins.plugins.stagedrollout.config.RolloutOwnership;
import io.jenkins.plugins.stagedrollout.config.RolloutPermissions;
import io.jenkins.plugins.stagedrollout.fixtures.HealthServer;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.stagedrollout.core.machine.Status;
import java.net.URL;
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
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The build page, the build's summary and {@code /staged-rollouts/} as rendered for people with different grants:
 * Promote and Roll back appear only for those who hold the permission on the job (not for those who may merely build
 * it), and the rollouts page lists a rollout only for those who may read the job or folder owning its key. Rendered
 * by HtmlUnit without JavaScript: the buttons are server-side forms.
 */
@WithJenkins
class RolloutPagesITest {
    HealthServer health;
    JenkinsRule j;
    WorkflowRun waiting;

    @BeforeEach
    void startAWaitingRollout(JenkinsRule j) throws Exception {
        this.j = j;
        health = new HealthServer();
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        WorkflowJob p = j.createProject(WorkflowJob.class, "deploy");
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("releaser", "viewer", "builder", "outsider")
                .grant(Item.READ).everywhere().to("releaser", "viewer", "builder")
                .grant(Item.BUILD).everywhere().to("builder")
                .grant(RolloutPermissions.PROMOTE, RolloutPermissions.ROLLBACK).onItems(p).to("releaser"));
        p.setDefinition(new CpsFlowDefinition(Pipelines.threeStages(Pipelines.plan(health.url(), "1s"), "v1"), true));
        waiting = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("waits for a person to promote it", waiting);
    }

    @AfterEach
    void stopHealth() {
        health.close();
    }

    JenkinsRule.WebClient as(String user) throws Exception {
        JenkinsRule.WebClient wc = j.createWebClient().withBasicApiToken(user);
        wc.getOptions().setJavaScriptEnabled(false);
        wc.setThrowExceptionOnFailingStatusCode(false);
        return wc;
    }

    String page(String user, String path) throws Exception {
        Page p = as(user).goTo(path, null);
        assertThat(p.getWebResponse().getStatusCode()).as(user + " GET " + path).isEqualTo(200);
        return p.getWebResponse().getContentAsString();
    }

    int post(String user, String path) throws Exception {
        JenkinsRule.WebClient wc = as(user);
        wc.getOptions().setRedirectEnabled(false);
        return wc.getPage(new WebRequest(new URL(j.getURL(), path), HttpMethod.POST)).getWebResponse().getStatusCode();
    }

    @Test
    void theBuildPageShowsPromoteAndRollBackToAReleaser() throws Exception {
        String html = page("releaser", waiting.getUrl() + "staged-rollout/");

        assertThat(html).contains(KEY).contains("AWAITING_APPROVAL").contains("early-adopters")
                .contains("action=\"promote\"").contains("action=\"rollback\"").contains("Promote early-adopters");
    }

    @Test
    void theBuildPageShowsTheRolloutWithoutButtonsToSomeoneWhoMayOnlyBuild() throws Exception {
        for (String user : new String[] {"builder", "viewer"}) {
            String html = page(user, waiting.getUrl() + "staged-rollout/");

            assertThat(html).as(user).contains(KEY).contains("AWAITING_APPROVAL")
                    .doesNotContain("action=\"promote\"").doesNotContain("action=\"rollback\"");
        }
    }

    @Test
    void theBuildsMainPageSummarisesTheRollout() throws Exception {
        String html = page("viewer", waiting.getUrl());

        assertThat(html).contains("Staged rollout").contains(KEY).contains("AWAITING_APPROVAL").contains("staged-rollout/");
    }

    @Test
    void theRolloutsPageShowsButtonsOnlyWhereTheViewerHoldsThePermission() throws Exception {
        String releaser = page("releaser", "staged-rollouts/");
        String viewer = page("viewer", "staged-rollouts/");

        assertThat(releaser).contains(KEY).contains("action=\"promote\"").contains("action=\"rollback\"");
        assertThat(viewer).contains(KEY).contains("AWAITING_APPROVAL")
                .doesNotContain("action=\"promote\"").doesNotContain("action=\"rollback\"");
    }

    @Test
    void theRolloutsPageSaysNoneWhenNoRolloutHasFinished() throws Exception {
        String html = page("viewer", "staged-rollouts/");

        assertThat(html).contains("<h2>Finished</h2>");
        assertThat(html.substring(html.indexOf("<h2>Finished</h2>"))).contains("None.").doesNotContain("<th>");
    }

    @Test
    void theRolloutsPageHidesARolloutOfAJobTheViewerCannotRead() throws Exception {
        String outsider = page("outsider", "staged-rollouts/");

        assertThat(outsider).doesNotContain(KEY).contains("No rollout is active.");
    }

    @Test
    void theRolloutsPageFollowsTheKeysOwnerRatherThanTheJobThatStartedIt() throws Exception {
        WorkflowJob owner = j.createProject(WorkflowJob.class, "release");
        RolloutOwnership.get().setRules(KEY + ": release; deploy");
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ).everywhere().to("owner-reader", "starter-reader")
                .grant(Item.READ).onItems(owner).to("owner-reader")
                .grant(RolloutPermissions.PROMOTE).onItems(owner).to("owner-reader")
                .grant(Item.READ).onItems(waiting.getParent()).to("starter-reader"));

        assertThat(page("owner-reader", "staged-rollouts/")).contains(KEY).contains("action=\"promote\"");
        assertThat(page("starter-reader", "staged-rollouts/")).doesNotContain(KEY);
    }

    @Test
    void aPostToTheRolloutsPageIsRefusedWithoutThePermissionAndUnknownWithoutRead() throws Exception {
        String promote = "staged-rollouts/promote?rollout=" + KEY + "&ring=early-adopters";

        assertThat(post("outsider", promote)).isEqualTo(404);
        assertThat(post("builder", promote)).isEqualTo(403);
        assertThat(Rollouts.host().service().read(KEY).orElseThrow().status()).isEqualTo(Status.AWAITING_APPROVAL);
        assertThat(post("releaser", promote)).isEqualTo(302);
        j.assertBuildStatusSuccess(j.waitForCompletion(waiting));
    }

    @Test
    void aPostToTheBuildPageIsRefusedToSomeoneWhoMayOnlyBuild() throws Exception {
        String rollback = waiting.getUrl() + "staged-rollout/rollback?rollout=" + KEY + "&reason=latency";

        assertThat(post("builder", rollback)).isEqualTo(403);
        assertThat(Rollouts.host().service().read(KEY).orElseThrow().status()).isEqualTo(Status.AWAITING_APPROVAL);
        assertThat(post("releaser", rollback)).isEqualTo(302);
        j.waitForCompletion(waiting);
        assertThat(Rollouts.host().service().read(KEY).orElseThrow().status()).isIn(Status.ROLLING_BACK, Status.ROLLED_BACK);
    }
}
