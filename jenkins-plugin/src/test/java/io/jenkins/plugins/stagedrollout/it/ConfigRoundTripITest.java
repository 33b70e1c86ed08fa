package io.jenkins.plugins.stagedrollout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.XmlFile;
import hudson.model.Saveable;
import hudson.model.User;
import hudson.model.listeners.SaveableListener;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import io.jenkins.plugins.stagedrollout.config.RolloutConfiguration;
import io.jenkins.plugins.stagedrollout.steps.CanaryStageStep;
import io.jenkins.plugins.stagedrollout.steps.PromoteStep;
import io.jenkins.plugins.stagedrollout.steps.RollbackStep;
import io.jenkins.plugins.stagedrollout.steps.RolloutStatusStep;
import java.io.File;
import java.util.concurrent.atomic.AtomicInteger;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
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
        s.setPlanText("service: checkout\nenvironment: production\n");
        s.setOverrideWindowReason("hotfix INC-42");
        roundTrip(j, s);
    }

    @Test
    void promote(JenkinsRule j) throws Exception {
        PromoteStep s = new PromoteStep("checkout/production");
        s.setRing("early-adopters");
        roundTrip(j, s);
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
    void globalConfigurationKeepsEveryFieldAndIsSavedOncePerSubmit(JenkinsRule j) throws Exception {
        addSecretText("prometheus-token", CredentialsScope.GLOBAL);
        RolloutConfiguration c = RolloutConfiguration.get();
        String dir = new File(j.jenkins.getRootDir(), "shared-rollouts").getAbsolutePath();
        c.setStoreLocation(dir);
        c.setDefaultBake("10m");
        c.setMetricsUrl("https://prometheus.example:9090");
        c.setCredentialsId("prometheus-token");
        c.setAllowControllerCommands(true);
        AtomicInteger saves = new AtomicInteger();
        SaveableListener counter = new SaveableListener() {
            @Override
            public void onChange(Saveable o, XmlFile file) {
                if (o instanceof RolloutConfiguration) saves.incrementAndGet();
            }
        };
        SaveableListener.all().add(counter);
        try {
            j.configRoundtrip();
        } finally {
            SaveableListener.all().remove(counter);
        }

        assertThat(saves).as("saves of the Staged Rollout configuration by one submit").hasValue(1);

        RolloutConfiguration after = RolloutConfiguration.get();
        assertThat(after.getStoreLocation()).isEqualTo(dir);
        assertThat(after.getDefaultBake()).isEqualTo("10m");
        assertThat(after.getMetricsUrl()).isEqualTo("https://prometheus.example:9090");
        assertThat(after.getCredentialsId()).isEqualTo("prometheus-token");
        assertThat(after.isAllowControllerCommands()).isTrue();
    }

    @Test
    void theCredentialsListOffersGlobalSecretTextOnlyToAnAdministrator(JenkinsRule j) throws Exception {
        addSecretText("prometheus-token", CredentialsScope.GLOBAL);
        addSecretText("controller-only", CredentialsScope.SYSTEM);
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("viewer"));

        ListBoxModel admin;
        try (ACLContext ignored = ACL.as2(User.getById("admin", true).impersonate2())) {
            admin = RolloutConfiguration.get().doFillCredentialsIdItems("");
        }
        ListBoxModel viewer;
        try (ACLContext ignored = ACL.as2(User.getById("viewer", true).impersonate2())) {
            viewer = RolloutConfiguration.get().doFillCredentialsIdItems("prometheus-token");
        }

        assertThat(admin).extracting(o -> o.value).contains("", "prometheus-token").doesNotContain("controller-only");
        assertThat(viewer).extracting(o -> o.value).containsExactly("prometheus-token");
    }

    static void addSecretText(String id, CredentialsScope scope) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials()
                .add(new StringCredentialsImpl(scope, id, "metric backend token", Secret.fromString("s3cret-" + id)));
        SystemCredentialsProvider.getInstance().save();
    }
}
