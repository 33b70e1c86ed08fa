package io.jenkins.plugins.stagedrollout.steps;

import static io.jenkins.plugins.stagedrollout.fixtures.TestRollouts.ALICE;
import static io.jenkins.plugins.stagedrollout.fixtures.TestRollouts.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.jenkins.plugins.stagedrollout.fixtures.FakeHost;
import io.jenkins.plugins.stagedrollout.fixtures.FakeStepContext;
import io.jenkins.plugins.stagedrollout.fixtures.Plans;
import io.jenkins.plugins.stagedrollout.fixtures.TestRollouts;
import io.stagedrollout.core.engine.EngineListener;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutStatusStepTest {
    @TempDir
    Path dir;

    @Test
    void aKeyWithoutRolloutsReadsNone() throws Exception {
        try (TestRollouts t = new TestRollouts(dir); FakeHost h = new FakeHost(t)) {
            var e = (RolloutStatusStep.Execution) new RolloutStatusStep(KEY).start(new FakeStepContext(false));

            assertThat(e.run()).containsEntry("status", "NONE").containsEntry("rollout", KEY);
        }
    }

    @Test
    void aRolloutReadsAsAMapAPipelineCanKeep() throws Exception {
        try (TestRollouts t = new TestRollouts(dir); FakeHost h = new FakeHost(t)) {
            t.service.enterStage(KEY, "canary", "v2", Plans.parse(t.planText()), true, ALICE, EngineListener.NONE);

            var e = (RolloutStatusStep.Execution) new RolloutStatusStep(KEY).start(new FakeStepContext(false));

            assertThat(e.run()).containsEntry("status", "DEPLOYING").containsEntry("ring", "canary")
                    .containsEntry("version", "v2").containsEntry("stableVersion", null).containsKey("verdict");
        }
    }

    @Test
    void aBadKeyFailsTheStep() throws Exception {
        try (TestRollouts t = new TestRollouts(dir); FakeHost h = new FakeHost(t)) {
            var e = (RolloutStatusStep.Execution) new RolloutStatusStep("Checkout").start(new FakeStepContext(false));

            assertThatThrownBy(e::run).isInstanceOf(AbortException.class).hasMessageStartingWith("rolloutStatus: rollout:");
        }
    }
}
