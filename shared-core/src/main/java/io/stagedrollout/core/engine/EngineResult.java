package io.stagedrollout.core.engine;

import io.stagedrollout.core.machine.RolloutState;

/** What a command to the engine came to, with the rollout as it is afterwards (null when there is none). */
public record EngineResult(Kind kind, RolloutState state, String message) {
    public enum Kind {
        /** The rollout changed as asked. */
        APPLIED,
        /** What was asked is already true; nothing changed. */
        ALREADY_DONE,
        /** Not now: still baking, waiting for approval, or outside a window. */
        NOT_YET,
        /** Another rollout is active, or the rollout is not where the command expected it. */
        CONFLICT,
        NOT_FOUND,
        /** The command names something the rollout does not have. */
        INVALID
    }
}
