package io.jenkins.plugins.stagedrollout.it;

import static io.jenkins.plugins.stagedrollout.it.Pipelines.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Item;
import hudson.model.Result;
import hudson.model.User;
import hudson.util.Secret;
import io.jenkins.plugins.stagedrollout.config.RolloutConfiguration;
import io.jenkins.plugins.stagedrollout.fixtures.HealthServer;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.jenkins.plugins.stagedrollout.web.RolloutRunAction;
import io.stagedrollout.core.machine.Status;
import jenkins.model.Jenkins;
import jenkins.security.QueueItemAuthenticatorConfiguration;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.MockQueueItemAuthenticator;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Issue 19 items 1 and 2 in a real Jenkins: what a plan can read, and who may act on a rollout. */
@WithJenkins
class SecureStepsITest {
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

    WorkflowRun waitingOnTheManualRing(JenkinsRule j) throws Exception {
        WorkflowJob deploy = j.createProject(WorkflowJob.class, "deploy");
        deploy.setDefinition(new CpsFlowDefinition(Pipelines.threeStages(Pipelines.plan(health.url(), "1s"), "v1"), true));
        WorkflowRun b = deploy.scheduleBuild2(0).waitForStart();
        j.waitForMessage("waits for a person to promote it", b);
        return b;
    }

    @Test
    void aSandboxedJobCannotActOnAnotherJobsRollout(JenkinsRule j) throws Exception {
        WorkflowRun b = waitingOnTheManualRing(j); // its first stage claimed checkout/production for "deploy"
        long revision = Rollouts.host().service().read(KEY).orElseThrow().revision();
        WorkflowJob intruder = j.createProject(WorkflowJob.class, "intruder");
        intruder.setDefinition(new CpsFlowDefinition("try {\n"
                + "  promote(rollout: '" + KEY + "', ring: 'early-adopters')\n"
                + "} catch (e) { echo \"promote refused: ${e.message}\" }\n"
                + "rollback(rollout: '" + KEY + "', reason: 'mine now') { echo 'reverting' }\n", true));

        WorkflowRun i = j.buildAndAssertStatus(Result.FAILURE, intruder);

        j.assertLogContains("promote refused: promote: cannot promote " + KEY + ": rollout " + KEY + " belongs to deploy", i);
        j.assertLogContains("cannot roll back " + KEY + ": rollout " + KEY + " belongs to deploy", i);
        assertThat(i.getAction(RolloutRunAction.class)).isNull(); // no Promote/Rollback buttons for its users
        assertThat(Rollouts.host().service().read(KEY).orElseThrow().revision()).isEqualTo(revision);
        assertThat(Rollouts.host().service().read(KEY).orElseThrow().status()).isEqualTo(Status.AWAITING_APPROVAL);
        Pipelines.abort(b);
        j.waitForCompletion(b);
    }

    @Test
    void aBuildWhoseAuthenticationLacksTheRollbackPermissionIsRefused(JenkinsRule j) throws Exception {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Item.READ, Item.DISCOVER).everywhere().to("bob"));
        QueueItemAuthenticatorConfiguration.get().getAuthenticators()
                .add(new MockQueueItemAuthenticator().authenticate("undo", User.getById("bob", true).impersonate2()));
        WorkflowRun b = waitingOnTheManualRing(j);
        Pipelines.own("deploy", "undo"); // granted by the owner, but the build runs as bob
        WorkflowJob undo = j.createProject(WorkflowJob.class, "undo");
        undo.setDefinition(new CpsFlowDefinition("rollback(rollout: '" + KEY + "', reason: 'bob says so') { echo 'reverting' }", true));

        WorkflowRun u = j.buildAndAssertStatus(Result.FAILURE, undo);

        j.assertLogContains("the build runs as bob, who lacks Staged Rollout/Rollback on job undo", u);
        assertThat(Rollouts.host().service().read(KEY).orElseThrow().status()).isEqualTo(Status.AWAITING_APPROVAL);
        Pipelines.abort(b);
        j.waitForCompletion(b);
    }

    /** One ring whose gate sends the token named {@code tokenEnv}; bakes 3s, measured every 1s; no data reverts. */
    String oneRing(String tokenEnv) {
        return """
                service: checkout
                environment: production
                rings:
                  - name: everyone
                    exposure: 100%
                    bake: 3s
                    gates: [smoke]
                    onInconclusive: revert
                gates:
                  smoke:
                    kind: http
                    url: URL
                    expectStatus: 200
                    interval: 1s
                    tokenEnv: TOKEN_ENV
                """.replace("URL", health.url()).replace("TOKEN_ENV", tokenEnv);
    }

    WorkflowRun runOneRing(JenkinsRule j, String tokenEnv, String extraArguments) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "deploy");
        p.setDefinition(new CpsFlowDefinition("canaryStage(rollout: '" + KEY + "', ring: 'everyone', version: 'v1',"
                + " planText: '''" + oneRing(tokenEnv) + "'''" + extraArguments + ") { echo 'deployed' }", true));
        return j.waitForCompletion(p.scheduleBuild2(0).waitForStart());
    }

    @Test
    void tokenEnvPathNeverDeliversAnything(JenkinsRule j) throws Exception {
        WorkflowRun b = runOneRing(j, "PATH", "");

        assertThat(health.authorizations()).isEmpty();
        assertThat(health.hits()).isZero();
        j.assertLogContains("the environment variable PATH holding the token is not set", b);
        assertThat(b.getResult()).isNotEqualTo(Result.SUCCESS); // an unmeasurable gate never passes
    }

    @Test
    void aBoundCredentialIsSentAndNeverLogged(JenkinsRule j) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "health-token", "health endpoint", Secret.fromString("s3cret-health-token")));

        WorkflowRun b = runOneRing(j, "HEALTH_TOKEN", ", credentials: [[variable: 'HEALTH_TOKEN', credentialsId: 'health-token']]");

        j.assertBuildStatusSuccess(b);
        assertThat(health.authorizations()).isNotEmpty().containsOnly("Bearer s3cret-health-token");
        j.assertLogNotContains("s3cret", b);
    }

    @Test
    void aSystemScopedCredentialNeverReachesABuild(JenkinsRule j) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.SYSTEM,
                "controller-only", "meant for Jenkins itself", Secret.fromString("s3cret-system-token")));
        RolloutConfiguration.get().setCredentialsId("controller-only");

        WorkflowRun b = runOneRing(j, "ROLLOUT_METRICS_TOKEN", "");

        assertThat(health.authorizations()).isEmpty();
        j.assertLogContains("the metrics token credential 'controller-only' of the Staged Rollout configuration is not"
                + " visible to deploy", b);
        j.assertLogNotContains("s3cret", b);
    }
}
