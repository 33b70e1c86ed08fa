package io.stagedrollout.core.machine;

import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.plan.RolloutPlan;

/**
 * What can be asked of a rollout. Commands name what they expect (promote FROM ring X, deploy ring i), so a
 * repeated command is answered "already done" and never skips a ring.
 */
public sealed interface Command {
    Actor actor();

    /**
     * Start rolling out {@code version}; {@code stableVersion} overrides the stored last good version. A version
     * whose last rollout on this key was rolled back, aborted or failed is not started again unless {@code retry}:
     * a re-run after a crash must not redeploy a version already judged bad.
     */
    record Start(RolloutPlan plan, String version, String stableVersion, String rolloutId, boolean retry, Actor actor)
            implements Command {
        public Start(RolloutPlan plan, String version, String stableVersion, String rolloutId, Actor actor) {
            this(plan, version, stableVersion, rolloutId, false, actor);
        }
    }

    /**
     * Deploy ring {@code ringIndex}: the first ring from PENDING, the next one from PROMOTING. Only inside the ring's
     * deployment windows and outside every freeze (the plan's and {@code freezes}, announced by the CI host), unless
     * {@code overrideReason} is given: then it deploys anyway and the override is journaled with the reason.
     */
    record BeginRing(int ringIndex, Actor actor, java.util.List<io.stagedrollout.core.policy.Freeze> freezes,
            String overrideReason) implements Command {
        public BeginRing {
            freezes = freezes == null ? java.util.List.of() : java.util.List.copyOf(freezes);
        }

        public BeginRing(int ringIndex, Actor actor) {
            this(ringIndex, actor, java.util.List.of(), null);
        }
    }

    /** The ring's deploy finished (the deploy action, or a Jenkins step's body). */
    record RingDeployed(int ringIndex, boolean ok, String detail, Double actualPercent, Actor actor) implements Command {}

    /** A gate was measured while ring {@code ringIndex} baked. */
    record Measured(int ringIndex, Measurement measurement, Actor actor) implements Command {}

    /** Ring {@code ringIndex}'s bake is over: decide. */
    record Conclude(int ringIndex, Actor actor) implements Command {}

    /**
     * Promote from ring {@code ring} (null: the current ring). {@code force} promotes a ring that is still baking
     * or held, and is journaled as an override.
     */
    record Promote(String ring, boolean force, String reason, Actor actor) implements Command {}

    record Rollback(String reason, Actor actor) implements Command {}

    record RevertFinished(boolean ok, String detail, Actor actor) implements Command {}

    /** Stop where it stands, without a revert. */
    record Abort(String reason, Actor actor) implements Command {}
}
