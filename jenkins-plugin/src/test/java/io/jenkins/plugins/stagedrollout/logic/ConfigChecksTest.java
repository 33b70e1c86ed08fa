package io.jenkins.plugins.stagedrollout.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagedrollout.core.store.FileRolloutStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigChecksTest {
    @TempDir
    Path home;

    @Test
    void anEmptyStoreLocationIsTheFileStoreInJenkinsHome() throws Exception {
        assertThat(ConfigChecks.storeLocation("")).isEmpty();
        FileRolloutStore store = (FileRolloutStore) StoreLocation.open(" ", home, Map.of());
        assertThat(store.root()).isEqualTo(home.resolve("staged-rollout"));
    }

    @Test
    void anAbsoluteDirectoryIsAFileStoreThere() throws Exception {
        Path shared = home.resolve("shared");
        FileRolloutStore store = (FileRolloutStore) StoreLocation.open(shared.toString(), home, Map.of());
        assertThat(store.root()).isEqualTo(shared);
    }

    @Test
    void aRelativeDirectoryIsRefused() {
        assertThat(ConfigChecks.storeLocation("rollouts")).hasValueSatisfying(m -> assertThat(m).contains("absolute"));
        assertThatThrownBy(() -> StoreLocation.open("rollouts", home, Map.of())).isInstanceOf(StageException.class)
                .hasMessageStartingWith("store location:");
    }

    @Test
    void aUrlNoProviderAcceptsIsRefusedWithoutEchoingIt() {
        assertThat(ConfigChecks.storeLocation("jdbc:mysql://db/rollouts?pw=s3cret"))
                .hasValueSatisfying(m -> assertThat(m).contains("jdbc:mysql").doesNotContain("s3cret"));
    }

    @Test
    void aStoreLocationCarryingAPasswordIsRefusedWithoutEchoingIt() {
        assertThat(ConfigChecks.storeLocation("jdbc:postgresql://rollout:s3cret@db/rollouts"))
                .hasValueSatisfying(m -> assertThat(m).contains("ROLLOUT_DB_PASSWORD").doesNotContain("s3cret"));
        assertThat(ConfigChecks.storeLocation("jdbc:postgresql://db/rollouts?user=a&password=s3cret"))
                .hasValueSatisfying(m -> assertThat(m).doesNotContain("s3cret"));
    }

    @Test
    void theMetricsUrlMustBeHttpWithoutCredentials() {
        assertThat(ConfigChecks.metricsUrl("https://prometheus.example:9090")).isEmpty();
        assertThat(ConfigChecks.metricsUrl("")).isEmpty();
        assertThat(ConfigChecks.metricsUrl("ftp://prometheus.example")).hasValueSatisfying(m -> assertThat(m).contains("http"));
        assertThat(ConfigChecks.metricsUrl("https://admin:pw@prometheus.example"))
                .hasValueSatisfying(m -> assertThat(m).contains("Credentials id").doesNotContain("pw"));
        assertThat(ConfigChecks.metricsUrl("http://exa mple")).hasValueSatisfying(m -> assertThat(m).startsWith("not a URL"));
    }
}
