package io.jenkins.plugins.stagedrollout.it;

import static io.jenkins.plugins.stagedrollout.it.Pipelines.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.ParametersAction;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.Result;
import hudson.model.StringParameterDefinition;
import hudson.model.StringParameterValue;
import hudson.util.Secret;
import io.jenkins.plugins.stagedrollout.config.RolloutConfiguration;
import io.jenkins.plugins.stagedrollout.fixtures.FakePrometheus;
import io.jenkins.plugins.stagedrollout.fixtures.HealthServer;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
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
 * examples/Jenkinsfile end to end, with examples/plans/jenkins.yaml: a release goes through its three rings (a person
 * promotes the manual one), a later build that fails before its rollout started reverts nothing, and a build whose
 * canary fails rolls back only its own rollout, to the release before it.
 *
 * <p>The test Jenkins has the Pipeline plugins but not Declarative Pipeline, SCM or {@code readTrusted}, so the test
 * runs the example the way Declarative would: the {@code steps} of its stages in order, then its {@code post} blocks
 * ({@code success}; {@code failure} / {@code aborted} on an exception) — every step call exactly as the example writes
 * it ({@link DeclarativeExample}). {@code readTrusted('rollout.yaml')} reads the example plan, with its gates pointed at
 * local endpoints and its bakes shortened; {@code checkout scm} writes the service's {@code deploy.sh}.
 */
@WithJenkins
class ExampleJenkinsfileITest {
    @RegisterExtension
    static BuildWatcherExtension buildWatcher = new BuildWatcherExtension();

    HealthServer health;
    FakePrometheus prometheus;

    @BeforeEach
    void start() throws Exception {
        health = new HealthServer();
        prometheus = new FakePrometheus();
    }

    @AfterEach
    void stop() {
        prometheus.close();
        health.close();
    }

    static Path repositoryFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) return dir.resolve(relative);
        }
        throw new AssertionError(relative + " not found");
    }

    WorkflowJob exampleJob(JenkinsRule j) throws Exception {
        j.jenkins.setLabelString("deploy"); // the example's node('deploy')
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "prometheus-token", "metrics", Secret.fromString("s3cret-prometheus-token")));
        RolloutConfiguration.get().setMetricsUrl(prometheus.url());
        RolloutConfiguration.get().setCredentialsId("prometheus-token");

        String plan = Files.readString(repositoryFile("examples/plans/jenkins.yaml"))
                .replace("https://checkout.example.com/healthz", health.url())
                .replaceAll("bake: \\d+m", "bake: 2s").replace("interval: 1m", "interval: 1s");
        // deploy.sh prints what it was given; in the Groovy string every $ is escaped
        String deploySh = "#!/bin/sh\\necho \\\"deploy.sh $* version=$ROLLOUT_VERSION ring=$ROLLOUT_RING percent=$ROLLOUT_PERCENT\\\"\\n"
                .replace("$", "\\$");
        String script = DeclarativeExample.scripted(Files.readString(repositoryFile("examples/Jenkinsfile")))
                .replace("readTrusted('rollout.yaml')", "'''" + plan + "'''")
                .replace("checkout scm", "writeFile file: 'deploy.sh', text: \"" + deploySh + "\"; sh 'chmod +x deploy.sh'");
        WorkflowJob p = j.createProject(WorkflowJob.class, "checkout-deploy");
        p.addProperty(new ParametersDefinitionProperty(new StringParameterDefinition("VERSION", "")));
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    static WorkflowRun build(WorkflowJob p, String version) throws Exception {
        return p.scheduleBuild2(0, new ParametersAction(new StringParameterValue("VERSION", version))).waitForStart();
    }

    RolloutState current() throws Exception {
        return Rollouts.host().service().read(KEY).orElseThrow();
    }

    void releaseThroughAllRings(JenkinsRule j, WorkflowJob p, String version) throws Exception {
        WorkflowRun b = build(p, version);
        j.waitForMessage("waits for a person to promote it", b);
        WebRequest promote = new WebRequest(new URL(j.getURL(), b.getUrl() + "staged-rollout/promote?rollout=" + KEY
                + "&ring=early-adopters&rolloutId=" + current().id()), HttpMethod.POST);
        JenkinsRule.WebClient wc = j.createWebClient();
        wc.addCrumb(promote);
        wc.getPage(promote);
        j.assertBuildStatusSuccess(j.waitForCompletion(b));
        j.assertLogContains("version=" + version + " ring=canary percent=5", b);
        j.assertLogContains("version=" + version + " ring=everyone percent=100", b);
        j.assertLogContains(": COMPLETED, last good version " + version, b);
    }

    @Test
    void aReleaseGoesThroughItsRingsAndTheGatesGetOnlyTheBoundToken(JenkinsRule j) throws Exception {
        WorkflowJob p = exampleJob(j);

        releaseThroughAllRings(j, p, "1.0.0");

        assertThat(current().status()).isEqualTo(Status.COMPLETED);
        assertThat(prometheus.authorizations()).isNotEmpty().containsOnly("Bearer s3cret-prometheus-token");
        assertThat(health.hits()).isPositive();
    }

    @Test
    void aBuildThatFailsBeforeItsRolloutStartedRevertsNothing(JenkinsRule j) throws Exception {
        WorkflowJob p = exampleJob(j);
        releaseThroughAllRings(j, p, "1.0.0");
        RolloutState released = current();

        WorkflowRun early = j.waitForCompletion(build(p, "")); // an empty VERSION: the canary stage refuses to start

        j.assertBuildStatus(Result.FAILURE, early);
        j.assertLogContains("give canaryStage both plan: and version:", early);
        j.assertLogContains("nothing to roll back: this build took part in no rollout of " + KEY, early);
        j.assertLogNotContains("deploy.sh --revert", early);
        assertThat(current().status()).isEqualTo(Status.COMPLETED);
        assertThat(current().revision()).isEqualTo(released.revision());
    }

    @Test
    void aFailingCanaryRollsBackOnlyItsOwnRolloutToTheReleaseBefore(JenkinsRule j) throws Exception {
        WorkflowJob p = exampleJob(j);
        releaseThroughAllRings(j, p, "1.0.0");
        health.answer(503);

        WorkflowRun bad = j.waitForCompletion(build(p, "1.1.0"));

        j.assertBuildStatus(Result.FAILURE, bad);
        j.assertLogContains("ring canary FAIL", bad);
        j.assertLogContains("deploy.sh --revert version=1.0.0 ring=", bad);
        assertThat(current().version()).isEqualTo("1.1.0");
        assertThat(current().status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(Rollouts.host().service().history(KEY)).filteredOn(e -> e.type().equals("ROLLBACK_STARTED"))
                .extracting(RolloutEvent::rolloutId).containsOnly(current().id());
    }
}
