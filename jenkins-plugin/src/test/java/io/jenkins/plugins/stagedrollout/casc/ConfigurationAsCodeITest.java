package io.jenkins.plugins.stagedrollout.casc;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.stagedrollout.config.RolloutConfiguration;
import org.junit.jupiter.api.Test;

@WithJenkinsConfiguredWithCode
class ConfigurationAsCodeITest {
    @Test
    @ConfiguredWithCode("casc.yaml")
    void theGlobalConfigurationReadsFromCasc(JenkinsConfiguredWithCodeRule j) {
        RolloutConfiguration c = RolloutConfiguration.get();

        assertThat(c.getDefaultBake()).isEqualTo("10m");
        assertThat(c.getMetricsUrl()).isEqualTo("https://prometheus.example:9090");
        assertThat(c.getCredentialsId()).isEqualTo("prometheus-token");
        assertThat(c.isAllowControllerCommands()).isFalse();
    }
}
