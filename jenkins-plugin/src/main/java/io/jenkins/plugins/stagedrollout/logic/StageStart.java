package io.jenkins.plugins.stagedrollout.logic;

import io.stagedrollout.core.machine.RolloutState;
import java.time.Instant;
import java.util.Map;

/**
 * How a {@code canaryStage} begins.
 *
 * @param ringIndex the stage's ring in the rollout's plan
 * @param variables the {@code ROLLOUT_*} variables the body gets (for RUN_BODY)
 * @param opensAt   when the ring's deployment window opens or its freeze ends (for WAIT_WINDOW)
 */
public record StageStart(Next next, RolloutState state, int ringIndex, Map<String, String> variables, String message,
        Instant opensAt) {
    public enum Next {
        /** Run the step's body as the ring's deploy, then report it with {@code deployed}. */
        RUN_BODY,
        /** The ring is deployed (by the plan's deploy action, or earlier): bake it. */
        BAKE,
        /** The ring already passed: the stage is done. */
        PASSED,
        /** The ring is outside its deployment window or in a freeze: enter the stage again at {@code opensAt}. */
        WAIT_WINDOW
    }
}
