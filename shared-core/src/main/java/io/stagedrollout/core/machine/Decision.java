package io.stagedrollout.core.machine;

import java.util.List;

/** The machine's answer to a command. */
public sealed interface Decision {
    RolloutState state();

    /** The command changes the rollout: commit {@code state} and {@code events}, then run {@code effects}. */
    record Applied(RolloutState state, List<RolloutEvent> events, List<Effect> effects) implements Decision {
        public Applied {
            events = List.copyOf(events);
            effects = List.copyOf(effects);
        }
    }

    /** The command's intent is already true (the ring was already promoted); nothing changes. */
    record AlreadyDone(RolloutState state, String message) implements Decision {}

    /** The command cannot apply now; {@code refusal} says whether to wait, or that it conflicts. */
    record Refused(RolloutState state, Refusal refusal, String message) implements Decision {}

    enum Refusal {
        /** Another rollout is active, or the expected ring is not the current one (CLI exit 5). */
        CONFLICT,
        /** There is no such rollout. */
        NOT_FOUND,
        /** Not yet: the ring is still baking, or waits for approval (CLI exit 4). */
        NOT_YET,
        /** The command names something the rollout does not have (an unknown ring) (CLI exit 2). */
        INVALID
    }
}
