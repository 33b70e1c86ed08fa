package io.jenkins.plugins.stagedrollout.logic;

import io.stagedrollout.core.machine.RolloutState;
import java.time.Instant;

/**
 * What a {@code canaryStage} waiting on one ring should do, given the rollout's current state.
 *
 * @param wakeAt  when to look again (BAKING: the next measurement or the end of the bake; null otherwise)
 * @param message what to tell the build log (the verdict's explanation on FAILED, the hold on WAITING)
 */
public record StageView(Kind kind, RolloutState state, Instant wakeAt, String message) {
    public enum Kind {
        /** The ring is being deployed by someone else, or bakes: look again at {@code wakeAt}. */
        BAKING,
        /** The ring waits for a person to promote or roll back. */
        WAITING,
        /** The ring passed and was promoted (or the rollout completed): the stage succeeds. */
        PASSED,
        /** The ring failed, or the rollout was rolled back or aborted: the stage fails with {@code message}. */
        FAILED,
        /** The ring is DEPLOYING and nobody deploys it any more: enter the stage again, which deploys it. */
        REDEPLOY
    }

    public boolean finished() {
        return kind == Kind.PASSED || kind == Kind.FAILED;
    }
}
