package io.jenkins.plugins.stagedrollout.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.stagedrollout.config.RolloutConfiguration;
import io.jenkins.plugins.stagedrollout.steps.CanaryStageStep;
import io.jenkins.plugins.stagedrollout.steps.PromoteStep;
import io.jenkins.plugins.stagedrollout.steps.RollbackStep;
import io.jenkins.plugins.stagedrollout.steps.RolloutStatusStep;
import java.io.File;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The snippet generator's forms (config.jelly) and the global configuration keep every field. */
@WithJenkins
class ConfigRoundTripITest {
    void roundTrip(JenkinsRule j, Step step) throws Exception {
        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }

    @Test
    void canaryStage(JenkinsRule j) throws Exception {
        CanaryStageStep s = new CanaryStageStep("checkout/production", "canary");
        s.setVersion("v1");
        s.setPlan("deploy/rollout.yaml");
        roundTrip(j, s);
        CanaryStageStep t = new CanaryStageStep("checkout/production", "canary");
        t.setPlanText("service: checkout\nenvironment: production\n");
        roundTrip(j, t);
    }

    @Test
    void promote(JenkinsRule j) throws Exception {
        PromoteStep s = new PromoteStep("checkout/production");
        s.setRing("early-adopters");
        roundTrip(j, s);
        roundTrip(j, new PromoteStep("checkout/production"));
    }

    @Test
    void rollback(JenkinsRule j) throws Exception {
        roundTrip(j, new RollbackStep("checkout/production", "error budget burned"));
    }

    @Test
    void rolloutStatus(JenkinsRule j) throws Exception {
        roundTrip(j, new RolloutStatusStep("checkout/production"));
    }

    @Test
    void globalConfiguration(JenkinsRule j) throws Exception {
        RolloutConfiguration c = RolloutConfiguration.get();
        String dir = new File(j.jenkins.getRootDir(), "shared-rollouts").getAbsolutePath();
        c.setStoreLocation(dir);
        c.setDefaultBake("10m");
        c.setMetricsUrl("https://prometheus.example:9090");
        c.setCredentialsId("prometheus-token");
        c.setAllowControllerCommands(true);

        j.configRoundtrip();

        RolloutConfiguration after = RolloutConfiguration.get();
        assertThat(after.getStoreLocation()).isEqualTo(dir);
        assertThat(after.getDefaultBake()).isEqualTo("10m");
        assertThat(after.getMetricsUrl()).isEqualTo("https://prometheus.example:9090");
        assertThat(after.getCredentialsId()).isEqualTo("prometheus-token");
        assertThat(after.isAllowControllerCommands()).isTrue();
    }
}
