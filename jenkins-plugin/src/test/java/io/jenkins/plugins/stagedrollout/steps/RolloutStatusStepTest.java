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
import io.jenkins.plugins.stagedrollout.logic.RolloutService;
import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.machine.Target;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutStatusStepTest {
    @TempDir
    Path dir;

    @Test
    void aKeyWithoutRolloutsReadsNone() throws Exception {
        try (TestRollouts t = new TestRollouts(dir); FakeHost h = new FakeHost(t)) {
            assertThat(status(h, KEY)).containsEntry("status", "NONE").containsEntry("rollout", KEY);
        }
    }

    @Test
    void aRolloutReadsAsAMapAPipelineCanKeep() throws Exception {
        try (TestRollouts t = new TestRollouts(dir); FakeHost h = new FakeHost(t)) {
            t.service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", Plans.parse(t.planText()), true), TestRollouts.AS_ALICE);

            assertThat(status(h, KEY)).containsEntry("status", "DEPLOYING").containsEntry("ring", "canary")
                    .containsEntry("version", "v2").containsEntry("stableVersion", null).containsKey("verdict");
        }
    }

    @Test
    void aBadKeyFailsTheStep() throws Exception {
        try (TestRollouts t = new TestRollouts(dir); FakeHost h = new FakeHost(t)) {
            FakeStepContext ctx = new FakeStepContext(false);
            StepStarter.start(new RolloutStatusStep("Checkout"), ctx);
            h.runDue();

            assertThat(ctx.record().failure).isInstanceOf(AbortException.class).hasMessageStartingWith("rolloutStatus: rollout:");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> status(FakeHost h, String key) throws Exception {
        FakeStepContext ctx = new FakeStepContext(false);
        StepStarter.start(new RolloutStatusStep(key), ctx);
        h.runDue();
        assertThat(ctx.record().failure).isNull();
        return (Map<String, Object>) ctx.record().result;
    }
}
