package io.jenkins.plugins.stagedrollout.logic;

import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.engine.LeasePolicy;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutMachine;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.RolloutVariables;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.machine.Target;
import io.stagedrollout.core.plan.InvalidPlanException;
import io.stagedrollout.core.plan.Ring;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.policy.Closure;
import io.stagedrollout.core.policy.Freeze;
import io.stagedrollout.core.store.Lease;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore.StoreException;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.text.Printable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;

/**
 * Everything the Jenkins steps and pages do to rollouts, without Jenkins: the steps and actions only carry out what
 * this class decides. Every call blocks on the store (and a tick on the gates); the steps call it from their worker
 * threads, never from the Pipeline's CPS thread.
 *
 * <p>Each call uses its own short-lived {@link RolloutEngine}, made from the caller's bindings (what the plan may
 * read). Closing an engine waits for notifications still being delivered; that wait happens on {@code closer}, so a
 * notification endpoint that never answers holds up nobody.
 *
 * <p>Every change is bound to a rollout ({@link Target}, the id-bound form): a stage acts only on the rollout it
 * entered, and a promote or rollback only on the one it names; the engine checks it on the state its compare-and-set
 * commit is based on, so a command meant for one rollout never acts on the key's newer one.
 */
public final class RolloutService {
    /** The engines driving now in this JVM, and those told to stop because the controller shuts down. */
    private static final Set<RolloutEngine> DRIVING = ConcurrentHashMap.newKeySet();
    private static final Set<RolloutEngine> STOPPED = ConcurrentHashMap.newKeySet();
    /** As the CLI allows for actor names. */
    private static final int MAX_ACTOR_NAME = 100;
    private static final ExecutorService ENGINE_CLOSER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "staged-rollout-notify-drain");
        t.setDaemon(true);
        return t;
    });

    /** Whether someone deploys ring {@code ringIndex} of {@code state}'s rollout right now (a live stage, a lease). */
    @FunctionalInterface
    public interface DeployInFlight {
        DeployInFlight NOBODY = (state, ringIndex) -> false;

        boolean test(RolloutState state, int ringIndex);
    }

    /**
     * A {@code canaryStage} entering its ring.
     *
     * @param plan           the plan, when the step names one (required to start a rollout)
     * @param version        the version to roll out (required to start; when given, must be the active rollout's)
     * @param hasBody        whether the step deploys in its body; without one the plan's deploy action runs here
     * @param overrideWindowReason deploys outside the ring's window or in a freeze, journaled with the reason
     * @param hostFreezes    freezes the build announces ({@code CI_DEPLOY_FREEZE}), honoured with the plan's own
     * @param deploying      who deploys a ring that is DEPLOYING: a live deploy is attached to, never repeated
     */
    public record StageRequest(String rollout, String ring, String version, RolloutPlan plan, boolean hasBody,
            String overrideWindowReason, List<Freeze> hostFreezes, DeployInFlight deploying) {
        public StageRequest {
            overrideWindowReason = overrideWindowReason == null || overrideWindowReason.isBlank() ? null : overrideWindowReason;
            hostFreezes = hostFreezes == null ? List.of() : List.copyOf(hostFreezes);
            deploying = deploying == null ? DeployInFlight.NOBODY : deploying;
        }

        public static StageRequest of(String rollout, String ring, String version, RolloutPlan plan, boolean hasBody) {
            return new StageRequest(rollout, ring, version, plan, hasBody, null, List.of(), DeployInFlight.NOBODY);
        }
    }

    @FunctionalInterface
    private interface EngineCall<T> {
        T run(RolloutEngine engine) throws StoreException, InterruptedException, StageException;
    }

    private final RolloutStore store;
    private final PlanEnvironment environment;
    private final Clock clock;
    private final PlanPolicy policy;
    private final Executor closer;
    private Duration defaultBake;

    public RolloutService(RolloutStore store, PlanEnvironment environment, Clock clock, PlanPolicy policy) {
        this(store, environment, clock, policy, ENGINE_CLOSER);
    }

    /** @param closer where engines are closed (closing waits for notifications still being delivered) */
    public RolloutService(RolloutStore store, PlanEnvironment environment, Clock clock, PlanPolicy policy, Executor closer) {
        this.store = store;
        this.environment = environment;
        this.clock = clock;
        this.policy = policy;
        this.closer = closer;
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
     * Starts the rollout on its first ring, or attaches to the same version's rollout, and positions the stage on its
     * ring. Outside the ring's deployment window or in a freeze the answer is {@link StageStart.Next#WAIT_WINDOW} with
     * the next opening, unless the request overrides it.
     *
     * @throws StageException CONFLICT when the ring is closed and nobody knows until when (a freeze without an end)
     */
    public StageStart enterStage(StageRequest r, Caller caller) throws StageException, InterruptedException {
        RolloutKey key = key(r.rollout());
        require("ring", r.ring());
        printable("ring", r.ring());
        String version = r.version();
        if (version != null && version.isBlank()) {
            throw new StageException(StageException.Reason.INVALID, "version: is empty; give the version to roll out");
        }
        if (version != null) printable("version", version);
        if (r.overrideWindowReason() != null) printable("overrideWindowReason", r.overrideWindowReason());
        RolloutPlan plan = r.plan();
        return withEngine(caller, r.hostFreezes(), engine -> {
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
                            + state.status() + (state.reason() == null ? "" : ": " + state.reason()) + "; ring "
                            + r.ring() + " cannot run");
                }
                if (plan == null || version == null) {
                    String have = state == null ? "there is no rollout " + key
                            : "rollout " + key + " is " + state.version() + " (" + state.status() + ")";
                    throw new StageException(state == null ? StageException.Reason.NOT_FOUND : StageException.Reason.CONFLICT,
                            have + "; to start rolling out" + (version == null ? " a version" : " " + version)
                                    + ", give canaryStage both plan: and version:");
                }
                state = expect(engine.start(plan, version, null, caller.actor()), "start " + version + " on " + key);
            }
            if (plan == null) policy.check(state.plan());
            int index = state.plan().ringIndex(r.ring());
            if (index < 0) {
                throw new StageException(StageException.Reason.INVALID, "ring: '" + r.ring() + "' is not a ring of rollout "
                        + key + " (rings: " + state.plan().rings().stream().map(Ring::name).collect(Collectors.joining(", ")) + ")");
            }
            String ring = r.ring();
            switch (StageLogic.entry(state, index, deployInFlight(key, state, index, r.deploying()))) {
                case PASSED -> {
                    return new StageStart(StageStart.Next.PASSED, state, index, null, StageLogic.passedMessage(state, index), null);
                }
                case ATTACH -> {
                    String how = state.status() == Status.DEPLOYING ? "is being deployed by another build or driver; waiting for it"
                            : "is already deployed (" + state.status() + "); attaching to its bake";
                    return new StageStart(StageStart.Next.BAKE, state, index, null, "ring " + ring + " " + how, null);
                }
                case REDEPLOY -> {
                    if (!r.hasBody()) {
                        throw new StageException(StageException.Reason.CONFLICT, "the deploy of ring " + ring
                                + " was interrupted; run canaryStage without usePlanAction, its body deploying the ring, to deploy it again");
                    }
                    return new StageStart(StageStart.Next.RUN_BODY, state, index, RolloutVariables.forRing(state, index),
                            "the deploy of ring " + ring + " was interrupted; deploying it again", null);
                }
                default -> {
                    Optional<Lease> driven = r.hasBody() ? drivenElsewhere(key) : Optional.empty();
                    if (driven.isPresent()) {
                        // the body deploys outside the engine: never alongside a driver that holds the key
                        return new StageStart(StageStart.Next.WAIT_WINDOW, state, index, null, "ring " + ring
                                + " waits: another driver holds rollout " + key + " (" + driven.get().describe()
                                + "); canaryStage deploys ring " + ring + " once that driver lets go of it",
                                clock.instant().plus(StageLogic.WAIT_POLL));
                    }
                    EngineResult begun = engine.beginRing(key, Target.id(state.id()), index, caller.actor(), !r.hasBody(),
                            r.overrideWindowReason());
                    if (begun.kind() == EngineResult.Kind.NOT_YET && begun.state() != null) {
                        Optional<Closure> closed = RolloutMachine.waitingFor(begun.state(), clock.instant(), r.hostFreezes());
                        if (closed.isPresent()) return windowClosed(begun.state(), index, closed.get());
                    }
                    state = expect(begun, "deploy ring " + ring);
                    if (r.hasBody()) {
                        return new StageStart(StageStart.Next.RUN_BODY, state, index, RolloutVariables.forRing(state, index),
                                "deploying ring " + ring + " (" + state.ring().exposure().describe() + ") of "
                                        + state.version(), null);
                    }
                    return new StageStart(StageStart.Next.BAKE, state, index, null, begun.message(), null);
                }
            }
        });
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

    /** The stage's body (the ring's deploy) of rollout {@code rolloutId} finished; {@code detail} is never a secret. */
    public StageView deployed(String rollout, String rolloutId, int ringIndex, boolean ok, String detail, Caller caller)
            throws StageException, InterruptedException {
        RolloutKey key = key(rollout);
        return withEngine(caller, List.of(), engine -> {
            RolloutState current = store.read(key).orElse(null);
            if (current == null || !current.id().equals(rolloutId)) return replaced(rollout, rolloutId, ringIndex, current);
            EngineResult r = engine.ringDeployed(key, Target.id(rolloutId), ringIndex, ok, detail, caller.actor());
            if (r.state() != null && !r.state().id().equals(rolloutId)) return replaced(rollout, rolloutId, ringIndex, r.state());
            RolloutState s = expect(r, "record the deploy of ring " + StageLogic.ringName(current, ringIndex));
            return StageLogic.view(s, ringIndex, clock.instant());
        });
    }

    /** Measures what is due now and concludes the ring when its bake is over; never waits. */
    public StageView tick(String rollout, String rolloutId, int ringIndex, DeployInFlight deploying, Caller caller)
            throws StageException, InterruptedException {
        RolloutKey key = key(rollout);
        return withEngine(caller, List.of(), engine -> {
            RolloutState before = store.read(key).orElse(null);
            if (before == null || !before.id().equals(rolloutId)) return replaced(rollout, rolloutId, ringIndex, before);
            if (before.status() != Status.BAKING) {
                return StageLogic.view(before, ringIndex, clock.instant(), deployInFlight(key, before, ringIndex, deploying));
            }
            // the policy may have been tightened since the rollout started: never measure a refused gate
            policy.check(before.plan());
            RolloutEngine.Tick t = engine.tick(key, Target.id(rolloutId), caller.actor());
            RolloutState s = t.result().state();
            if (s == null) throw new StageException(StageException.Reason.NOT_FOUND, t.result().message());
            if (!s.id().equals(rolloutId)) return replaced(rollout, rolloutId, ringIndex, s);
            StageView v = StageLogic.view(s, ringIndex, clock.instant(), deployInFlight(key, s, ringIndex, deploying));
            if (v.kind() == StageView.Kind.BAKING && t.wakeAt() != null) {
                return new StageView(v.kind(), s, t.wakeAt(), v.message());
            }
            return v;
        });
    }

    /** Re-reads the rollout without measuring (a waiting stage looking for a promote or a rollback). */
    public StageView look(String rollout, String rolloutId, int ringIndex, DeployInFlight deploying) throws StageException {
        RolloutKey key = key(rollout);
        RolloutState s = read(rollout).orElse(null);
        if (s == null || !s.id().equals(rolloutId)) return replaced(rollout, rolloutId, ringIndex, s);
        try {
            return StageLogic.view(s, ringIndex, clock.instant(), deployInFlight(key, s, ringIndex, deploying));
        } catch (StoreException e) {
            throw storeFailed(e);
        }
    }

    /**
     * Whether someone deploys ring {@code ringIndex} of {@code s} now: a live stage on this controller, or a driver
     * (the CLI, another controller) holding the key's lease for this rollout. A ring DEPLOYING with nobody deploying it
     * was cut short and may be deployed again; otherwise it is attached to, never deployed twice at once.
     */
    private boolean deployInFlight(RolloutKey key, RolloutState s, int ringIndex, DeployInFlight local) throws StoreException {
        if (local.test(s, ringIndex)) return true;
        if (s.status() != Status.DEPLOYING || s.ringIndex() != ringIndex) return false;
        Optional<Lease> lease = store.leases().read(key);
        return lease.isPresent() && !lease.get().freeAt(clock.instant())
                && (lease.get().rolloutId() == null || lease.get().rolloutId().equals(s.id()));
    }

    /** The key's lease, while a driver (the CLI, another controller) holds it. */
    private Optional<Lease> drivenElsewhere(RolloutKey key) throws StoreException {
        return store.leases().read(key).filter(l -> !l.freeAt(clock.instant()));
    }

    /** The stage's rollout is gone or another one took the key: the stage fails saying so. */
    private static StageView replaced(String rollout, String rolloutId, int ringIndex, RolloutState now) {
        String what = now == null ? rollout + " has no rollout any more"
                : "the current rollout of " + rollout + " is " + now.id() + " of " + now.version() + " (" + now.status() + ")";
        return new StageView(StageView.Kind.FAILED, now, null, "rollout " + rolloutId + " is no longer current: " + what
                + "; this stage does not act on another rollout");
    }

    // ---- promote, rollback, status ----------------------------------------------------------------------------

    /**
     * The key's current rollout, when it is the one {@code target} names.
     *
     * @throws StageException NOT_FOUND when the key has no rollout; CONFLICT naming both rollouts when it has another
     */
    public RolloutState current(String rollout, Target target) throws StageException {
        RolloutKey key = key(rollout);
        try {
            RolloutState s = store.read(key).orElse(null);
            if (s == null || !target.matches(s)) {
                EngineResult off = s == null && target.isAny()
                        ? new EngineResult(EngineResult.Kind.NOT_FOUND, null, "there is no rollout " + key)
                        : RolloutEngine.offTarget(store, key, s, target);
                expect(off, "act on " + key);
            }
            return s;
        } catch (StoreException e) {
            throw storeFailed(e);
        }
    }

    /**
     * Promotes {@code ring} (null: the current ring) of the rollout {@code target} names. Promoting a ring that was
     * already promoted answers ALREADY_DONE and changes nothing.
     */
    public EngineResult promote(String rollout, String ring, Target target, Caller caller) throws StageException {
        RolloutKey key = key(rollout);
        String named = ring == null || ring.isBlank() ? null : ring;
        if (named != null) printable("ring", named);
        printable(target);
        try {
            return withEngine(caller, List.of(), engine -> {
                EngineResult r = engine.promote(key, target, named, false, null, caller.actor());
                expect(r, "promote " + (named == null ? "the current ring" : "ring " + named));
                return r;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageException(StageException.Reason.STORE, "interrupted while promoting " + key);
        }
    }

    /**
     * Records a rollback of the rollout {@code target} names. With {@code runRevertAction} the plan's {@code revert}
     * action runs now (also when an earlier rollback left the rollout ROLLING_BACK: a rollback by the plan's action resumed after
     * a restart finishes the revert); otherwise the rollout stays ROLLING_BACK until {@link #revertFinished} (a
     * rollback step's body).
     */
    public EngineResult rollback(String rollout, String reason, Target target, boolean runRevertAction, Caller caller)
            throws StageException, InterruptedException {
        RolloutKey key = key(rollout);
        require("reason", reason);
        printable("reason", reason);
        printable(target);
        return withEngine(caller, List.of(), engine -> {
            Optional<RolloutState> before = store.read(key);
            boolean revert = runRevertAction && before.isPresent() && allowedBy(policy, before.get().plan());
            EngineResult r = engine.rollback(key, target, reason, caller.actor(), revert);
            if (r.kind() == EngineResult.Kind.NOT_YET && r.state() != null && r.state().status() == Status.ROLLING_BACK) {
                return r; // recorded; the driver holding the key's lease runs the revert (the message says so)
            }
            RolloutState s = expect(r, "roll back " + key);
            if (revert && s.status() == Status.ROLLING_BACK && s.plan().actions().containsKey(RolloutPlan.DEFAULT_REVERT)) {
                // rolled back earlier without its revert having run (or a restart cut it short): run it now
                r = engine.advance(key, Target.id(s.id()), caller.actor(), null);
            }
            return r;
        });
    }

    /** The revert (a rollback step's body) of rollout {@code rolloutId} finished. */
    public EngineResult revertFinished(String rollout, String rolloutId, boolean ok, String detail, Caller caller)
            throws StageException {
        RolloutKey key = key(rollout);
        try {
            return withEngine(caller, List.of(), engine -> {
                EngineResult r = engine.revertFinished(key, Target.id(rolloutId), ok, detail, caller.actor());
                expect(r, "record the revert of " + key);
                return r;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageException(StageException.Reason.STORE, "interrupted while recording the revert of " + key);
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

    private <T> T withEngine(Caller caller, List<Freeze> hostFreezes, EngineCall<T> call)
            throws StageException, InterruptedException {
        Optional<String> badName = Printable.problem(caller.actor().name(), MAX_ACTOR_NAME);
        if (badName.isPresent()) {
            throw new StageException(StageException.Reason.INVALID, "the actor name (the Jenkins user or build acting, "
                    + Printable.escape(caller.actor().name()) + ") " + badName.get());
        }
        RolloutEngine engine = new RolloutEngine(store, environment.runtime(caller.bindings()), clock, caller.listener())
                .withHostFreezes(hostFreezes)
                .asDriver("jenkins (" + caller.actor().describe() + ")", leasePolicy(caller));
        DRIVING.add(engine);
        try {
            T result = call.run(engine);
            if (STOPPED.contains(engine)) throw stoppedForShutdown();
            return result;
        } catch (StoreException e) {
            if (STOPPED.contains(engine)) throw stoppedForShutdown();
            throw storeFailed(e);
        } catch (StageException e) {
            if (STOPPED.contains(engine)) throw stoppedForShutdown();
            throw e;
        } finally {
            DRIVING.remove(engine);
            STOPPED.remove(engine);
            closeLater(engine);
        }
    }

    /**
     * The controller shuts down: every engine of this JVM that drives now stops at its next poll — its effects in flight
     * end, what it left is journaled (DRIVER_STOPPED) and the key's lease is given back — so that the restarted
     * controller (or the CLI) drives on at once instead of waiting for the lease to lapse. The steps' work ends with
     * {@link StageException.Reason#STOPPED} and is done again when the steps resume. Waits up to {@code grace}.
     */
    public static void stopDrivers(String why, Duration grace) throws InterruptedException {
        List<RolloutEngine> engines = List.copyOf(DRIVING);
        for (RolloutEngine e : engines) {
            STOPPED.add(e);
            e.requestStop(why);
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (RolloutEngine e : engines) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !e.awaitIdle(Duration.ofNanos(left))) return;
        }
    }

    private static StageException stoppedForShutdown() {
        return new StageException(StageException.Reason.STOPPED, "the controller is shutting down; this step carries on"
                + " after the restart");
    }

    /**
     * How the engine holds the key's lease (DESIGN.md "Drivers, leases and fencing"): a step waits for another driver
     * as the CLI does; a web request never waits, so a button or a script answers at once: its rollback is recorded
     * and the driver holding the lease runs the revert.
     */
    static LeasePolicy leasePolicy(Caller caller) {
        return caller.webRequest()
                ? LeasePolicy.DEFAULT.withLeaseWait(Duration.ZERO).withRollbackWait(Duration.ZERO)
                : LeasePolicy.DEFAULT;
    }

    /** Closes the engine's probes and lets its notifier drain elsewhere: the caller does not wait for slow endpoints. */
    private void closeLater(RolloutEngine engine) {
        try {
            closer.execute(engine::close);
        } catch (RejectedExecutionException e) {
            engine.close();
        }
    }

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

    /**
     * A one-line value a person gave (a version, a ring, a reason): it is journaled, printed and shown on pages, so
     * control, bidi and zero-width characters are refused here, naming the field, before anything changes.
     */
    static void printable(String field, String value) throws StageException {
        Optional<String> problem = Printable.problem(value, Printable.MAX_FIELD);
        if (problem.isPresent()) throw new StageException(StageException.Reason.INVALID, field + ": " + problem.get());
    }

    /** The rollout id and version a promote or rollback names (rolloutId:, version:). */
    private static void printable(Target target) throws StageException {
        if (target.rolloutId() != null) printable("rolloutId", target.rolloutId());
        if (target.version() != null) printable("version", target.version());
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
}
