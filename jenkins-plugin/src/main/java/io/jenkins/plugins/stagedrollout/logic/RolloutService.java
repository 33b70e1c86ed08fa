package io.jenkins.plugins.stagedrollout.logic;

import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutMachine;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.RolloutVariables;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.Ring;
import io.stagedrollout.core.policy.Closure;
import io.stagedrollout.core.policy.Freeze;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.RolloutStore.StoreException;
import io.stagedrollout.core.plan.InvalidPlanException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Everything the Jenkins steps and pages do to rollouts, without Jenkins: the steps and actions only carry out what
 * this class decides. One store is shared; each call uses its own short-lived {@link RolloutEngine} (an engine keeps
 * open gate probes and is not meant for concurrent use, while many builds and pages call this at once).
 */
public final class RolloutService {
    private final RolloutStore store;
    private final Supplier<RolloutEngine.Runtime> runtime;
    private final Clock clock;
    private final PlanPolicy policy;
    private Duration defaultBake;

    /**
     * @param runtime what probes and actions may use; asked for at every call, so that a changed credential or
     *     metrics URL in the global configuration takes effect without reopening the store
     */
    public RolloutService(RolloutStore store, Supplier<RolloutEngine.Runtime> runtime, Clock clock, PlanPolicy policy) {
        this.store = store;
        this.runtime = runtime;
        this.clock = clock;
        this.policy = policy;
    }

    public RolloutStore store() {
        return store;
    }

    public Instant now() {
        return clock.instant();
    }

    public PlanPolicy policy() {
        return policy;
    }

    /** Rings whose plan sets no bake bake this long (the global configuration's default bake); null for none. */
    public RolloutService withDefaultBake(Duration bake) {
        this.defaultBake = bake;
        return this;
    }

    /** Reads a plan given to a step, with the controller's default bake. */
    public RolloutPlan readPlan(String text) throws InvalidPlanException {
        return PlanDefaults.read(text, defaultBake);
    }

    // ---- canaryStage -------------------------------------------------------------------------------------------

    /**
     * Starts the rollout on its first ring, or attaches to the same version's rollout, and positions the stage on
     * {@code ring}.
     *
     * @param plan    the plan, when the step names one (required to start a rollout)
     * @param version the version to roll out (required to start; when given, must be the active rollout's)
     * @param hasBody whether the step deploys in its body; without one the plan's deploy action runs here
     */
    public StageStart enterStage(String rollout, String ring, String version, RolloutPlan plan, boolean hasBody,
            Actor actor, EngineListener listener) throws StageException, InterruptedException {
        return enterStage(rollout, ring, version, plan, hasBody, null, List.of(), actor, listener);
    }

    /**
     * As {@link #enterStage(String, String, String, RolloutPlan, boolean, Actor, EngineListener)}. Outside the ring's
     * deployment window or in a freeze the answer is {@link StageStart.Next#WAIT_WINDOW} with the next opening, unless
     * {@code overrideWindowReason} is given: then the ring deploys now and the override is journaled with the reason.
     *
     * @param hostFreezes freezes the build announces ({@code CI_DEPLOY_FREEZE}), honoured with the plan's own
     * @throws StageException CONFLICT when the ring is closed and nobody knows until when (a freeze without an end)
     */
    public StageStart enterStage(String rollout, String ring, String version, RolloutPlan plan, boolean hasBody,
            String overrideWindowReason, List<Freeze> hostFreezes, Actor actor, EngineListener listener)
            throws StageException, InterruptedException {
        RolloutKey key = key(rollout);
        require("ring", ring);
        if (version != null && version.isBlank()) {
            throw new StageException(StageException.Reason.INVALID, "version: is empty; give the version to roll out");
        }
        if (overrideWindowReason != null && overrideWindowReason.isBlank()) overrideWindowReason = null;
        if (hostFreezes == null) hostFreezes = List.of();
        try (RolloutEngine engine = engine(listener).withHostFreezes(hostFreezes)) {
            RolloutState state = store.read(key).orElse(null);
            if (plan != null) {
                if (!plan.key().equals(key.toString())) {
                    throw new StageException(StageException.Reason.INVALID, "plan: is for " + plan.key()
                            + " but rollout: is " + key + "; they must name the same service/environment");
                }
                policy.check(plan);
            }
            boolean needsStart = state == null || state.status().isTerminal()
                    || (version != null && !version.equals(state.version()));
            if (needsStart && !(state != null && state.status() == Status.COMPLETED && version != null
                    && version.equals(state.version()))) {
                if (plan == null && state != null && state.status().isTerminal() && version != null
                        && version.equals(state.version())) {
                    // a stage that waited (for its window) while its rollout was rolled back or aborted
                    throw new StageException(StageException.Reason.FINISHED, "rollout " + key + " of " + version + " is "
                            + state.status() + (state.reason() == null ? "" : ": " + state.reason()) + "; ring " + ring
                            + " cannot run");
                }
                if (plan == null || version == null) {
                    String have = state == null ? "there is no rollout " + key
                            : "rollout " + key + " is " + state.version() + " (" + state.status() + ")";
                    throw new StageException(state == null ? StageException.Reason.NOT_FOUND : StageException.Reason.CONFLICT,
                            have + "; to start rolling out" + (version == null ? " a version" : " " + version)
                                    + ", give canaryStage both plan: and version:");
                }
                EngineResult started = engine.start(plan, version, null, actor);
                state = expect(started, "start " + version + " on " + key);
            }
            if (plan == null) policy.check(state.plan());
            int index = state.plan().ringIndex(ring);
            if (index < 0) {
                throw new StageException(StageException.Reason.INVALID, "ring: '" + ring + "' is not a ring of rollout "
                        + key + " (rings: " + state.plan().rings().stream().map(Ring::name).collect(Collectors.joining(", ")) + ")");
            }
            switch (StageLogic.entry(state, index)) {
                case PASSED -> {
                    return new StageStart(StageStart.Next.PASSED, state, index, null, StageLogic.passedMessage(state, index), null);
                }
                case ATTACH -> {
                    return new StageStart(StageStart.Next.BAKE, state, index, null,
                            "ring " + ring + " is already deployed (" + state.status() + "); attaching to its bake", null);
                }
                case REDEPLOY -> {
                    if (!hasBody) {
                        throw new StageException(StageException.Reason.CONFLICT, "the deploy of ring " + ring
                                + " was interrupted; run canaryStage with a body to deploy it again");
                    }
                    return new StageStart(StageStart.Next.RUN_BODY, state, index, RolloutVariables.forRing(state, index),
                            "the deploy of ring " + ring + " was interrupted; deploying it again", null);
                }
                default -> {
                    EngineResult begun = engine.beginRing(key, index, actor, !hasBody, overrideWindowReason);
                    if (begun.kind() == EngineResult.Kind.NOT_YET && begun.state() != null) {
                        Optional<Closure> closed = RolloutMachine.waitingFor(begun.state(), clock.instant(), hostFreezes);
                        if (closed.isPresent()) return windowClosed(begun.state(), index, closed.get());
                    }
                    state = expect(begun, "deploy ring " + ring);
                    if (hasBody) {
                        return new StageStart(StageStart.Next.RUN_BODY, state, index, RolloutVariables.forRing(state, index),
                                "deploying ring " + ring + " (" + state.ring().exposure().describe() + ") of " + state.version(), null);
                    }
                    return new StageStart(StageStart.Next.BAKE, state, index, null, begun.message(), null);
                }
            }
        } catch (StoreException e) {
            throw storeFailed(e);
        }
    }

    /** The ring may not be deployed now: wait for the opening, or fail when nobody knows when it comes. */
    private static StageStart windowClosed(RolloutState s, int index, Closure closed) throws StageException {
        String ring = s.plan().ring(index).name();
        if (closed.opensAt() == null) {
            throw new StageException(StageException.Reason.CONFLICT, "ring " + ring + " cannot be deployed now: "
                    + closed.describe() + "; run the stage again when the freeze is over, or give overrideWindowReason:"
                    + " to deploy anyway");
        }
        return new StageStart(StageStart.Next.WAIT_WINDOW, s, index, null, "ring " + ring + " waits: " + closed.describe()
                + "; canaryStage deploys it then (overrideWindowReason: deploys now)", closed.opensAt());
    }

    /** The stage's body (the ring's deploy) finished; {@code detail} says how (never a secret). */
    public StageView deployed(String rollout, int ringIndex, boolean ok, String detail, Actor actor, EngineListener listener)
            throws StageException {
        RolloutKey key = key(rollout);
        try (RolloutEngine engine = engine(listener)) {
            EngineResult r = engine.ringDeployed(key, ringIndex, ok, detail, actor);
            RolloutState s = expect(r, "record the deploy of ring " + ringIndex);
            return StageLogic.view(s, ringIndex, clock.instant());
        } catch (StoreException e) {
            throw storeFailed(e);
        }
    }

    /** Measures what is due now and concludes the ring when its bake is over; never waits. */
    public StageView tick(String rollout, int ringIndex, Actor actor, EngineListener listener)
            throws StageException, InterruptedException {
        RolloutKey key = key(rollout);
        try (RolloutEngine engine = engine(listener)) {
            // the policy may have been tightened since the rollout started: never measure a refused gate
            Optional<RolloutState> before = store.read(key);
            if (before.isPresent()) policy.check(before.get().plan());
            RolloutEngine.Tick t = engine.tick(key, actor);
            RolloutState s = t.result().state();
            if (s == null) throw new StageException(StageException.Reason.NOT_FOUND, t.result().message());
            StageView v = StageLogic.view(s, ringIndex, clock.instant());
            if (v.kind() == StageView.Kind.BAKING && t.wakeAt() != null) {
                return new StageView(v.kind(), s, t.wakeAt(), v.message());
            }
            return v;
        } catch (StoreException e) {
            throw storeFailed(e);
        }
    }

    /** Re-reads the rollout without measuring (a waiting stage looking for a promote or a rollback). */
    public StageView look(String rollout, int ringIndex) throws StageException {
        RolloutState s = read(rollout).orElseThrow(() ->
                new StageException(StageException.Reason.NOT_FOUND, "rollout " + rollout + " is gone from the store"));
        return StageLogic.view(s, ringIndex, clock.instant());
    }

    // ---- promote, rollback, status ----------------------------------------------------------------------------

    /**
     * Promotes {@code ring} (null: the current ring). Promoting a ring that was already promoted answers
     * ALREADY_DONE and changes nothing.
     */
    public EngineResult promote(String rollout, String ring, Actor actor) throws StageException {
        RolloutKey key = key(rollout);
        if (ring != null && ring.isBlank()) ring = null;
        try (RolloutEngine engine = engine(EngineListener.NONE)) {
            EngineResult r = engine.promote(key, ring, false, null, actor);
            expect(r, "promote " + (ring == null ? "the current ring" : "ring " + ring));
            return r;
        } catch (StoreException e) {
            throw storeFailed(e);
        }
    }

    /**
     * Records a rollback. With {@code runRevertAction} the plan's {@code revert} action runs now, if the plan has one;
     * otherwise the rollout stays ROLLING_BACK until {@link #revertFinished} (a rollback step's body).
     */
    public EngineResult rollback(String rollout, String reason, Actor actor, boolean runRevertAction, EngineListener listener)
            throws StageException, InterruptedException {
        RolloutKey key = key(rollout);
        require("reason", reason);
        try (RolloutEngine engine = engine(listener)) {
            Optional<RolloutState> before = store.read(key);
            boolean allowed = before.isPresent() && allowedBy(policy, before.get().plan());
            EngineResult r = engine.rollback(key, reason, actor, runRevertAction && allowed);
            expect(r, "roll back " + key);
            return r;
        } catch (StoreException e) {
            throw storeFailed(e);
        }
    }

    public EngineResult revertFinished(String rollout, boolean ok, String detail, Actor actor) throws StageException {
        RolloutKey key = key(rollout);
        try (RolloutEngine engine = engine(EngineListener.NONE)) {
            EngineResult r = engine.revertFinished(key, ok, detail, actor);
            expect(r, "record the revert of " + key);
            return r;
        } catch (StoreException e) {
            throw storeFailed(e);
        }
    }

    public Optional<RolloutState> read(String rollout) throws StageException {
        try {
            return store.read(key(rollout));
        } catch (StoreException e) {
            throw storeFailed(e);
        }
    }

    public List<RolloutState> list() throws StageException {
        try {
            return store.list();
        } catch (StoreException e) {
            throw storeFailed(e);
        }
    }

    public List<RolloutEvent> history(String rollout) throws StageException {
        try {
            return store.history(key(rollout));
        } catch (StoreException e) {
            throw storeFailed(e);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static boolean allowedBy(PlanPolicy policy, RolloutPlan plan) {
        try {
            policy.check(plan);
            return true;
        } catch (StageException e) {
            return false;
        }
    }

    public static RolloutKey key(String rollout) throws StageException {
        try {
            return RolloutKey.parse(rollout);
        } catch (IllegalArgumentException e) {
            throw new StageException(StageException.Reason.INVALID, "rollout: " + e.getMessage());
        }
    }

    private static void require(String field, String value) throws StageException {
        if (value == null || value.isBlank()) {
            throw new StageException(StageException.Reason.INVALID, field + ": is required");
        }
    }

    /** The rollout after a command that must not be refused; a refusal becomes a StageException with its message. */
    private static RolloutState expect(EngineResult r, String what) throws StageException {
        StageException.Reason reason = switch (r.kind()) {
            case APPLIED, ALREADY_DONE -> null;
            case NOT_FOUND -> StageException.Reason.NOT_FOUND;
            case INVALID -> StageException.Reason.INVALID;
            case CONFLICT, NOT_YET -> StageException.Reason.CONFLICT;
        };
        if (reason != null || r.state() == null) {
            throw new StageException(reason == null ? StageException.Reason.NOT_FOUND : reason,
                    "cannot " + what + ": " + r.message());
        }
        return r.state();
    }

    private static StageException storeFailed(StoreException e) {
        return new StageException(StageException.Reason.STORE, "the rollout store failed: " + e.getMessage(), e);
    }

    private RolloutEngine engine(EngineListener listener) {
        return new RolloutEngine(store, runtime.get(), clock, listener);
    }
}
