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
     * Start rolling out {@code version}; {@code stableVersion} overrides the stable version the key's history gives
     * ({@link KeyHistory}). A version whose latest rollout anywhere in the key's history was rolled back, aborted or
     * failed is not started again unless {@code retry}: a re-run after a crash, or an old job, must not redeploy a
     * version already judged bad. {@code history} is the key's journal as read for this decision (null: only the
     * current state is known).
     */
    record Start(RolloutPlan plan, String version, String stableVersion, String rolloutId, boolean retry, Actor actor,
            KeyHistory history) implements Command {
        public Start(RolloutPlan plan, String version, String stableVersion, String rolloutId, boolean retry, Actor actor) {
            this(plan, version, stableVersion, rolloutId, retry, actor, null);
        }

        public Start(RolloutPlan plan, String version, String stableVersion, String rolloutId, Actor actor) {
            this(plan, version, stableVersion, rolloutId, false, actor, null);
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

    /**
     * A gate was measured while ring {@code ringIndex} baked, for the gate's measurement slot {@code slot} (0 for its
     * first measurement in the ring, 1 for the next, …). A slot counts once: a second measurement for a slot already
     * counted (two drivers measured the same interval) is answered "already done" and not counted. A negative slot
     * means "the next one" (replays).
     */
    record Measured(int ringIndex, Measurement measurement, Actor actor, int slot) implements Command {
        public Measured(int ringIndex, Measurement measurement, Actor actor) {
            this(ringIndex, measurement, actor, -1);
        }
    }

    /** Ring {@code ringIndex}'s bake is over: decide. */
    record Conclude(int ringIndex, Actor actor) implements Command {}

    /**
     * Promote from ring {@code ring} (null: the current ring). {@code force} promotes a ring that is still baking
     * or held, and is journaled as an override.
     */
    record Promote(String ring, boolean force, String reason, Actor actor) implements Command {}

    /** Roll back to the stable version, or to {@code stableVersion} when given (journaled). */
    record Rollback(String reason, Actor actor, String stableVersion) implements Command {
        public Rollback(String reason, Actor actor) {
            this(reason, actor, null);
        }
    }

    record RevertFinished(boolean ok, String detail, Actor actor) implements Command {}

    /** Stop where it stands, without a revert. */
    record Abort(String reason, Actor actor) implements Command {}

    /**
     * A person resolves a FAILED rollout (its revert failed, production's state was unknown), which blocks the next
     * start until then: {@code reverted} — production is back on the stable version (it becomes ROLLED_BACK); or
     * not — production is accepted as it stands (it becomes ABORTED). Journaled as RESOLVED with the reason.
     */
    record Resolve(boolean reverted, String reason, Actor actor) implements Command {}
}
