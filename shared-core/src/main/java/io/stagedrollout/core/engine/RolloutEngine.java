package io.stagedrollout.core.engine;

import io.stagedrollout.core.action.Action;
import io.stagedrollout.core.action.ActionEnvironment;
import io.stagedrollout.core.action.ActionKinds;
import io.stagedrollout.core.action.ActionRequest;
import io.stagedrollout.core.action.ActionResult;
import io.stagedrollout.core.action.Operation;
import io.stagedrollout.core.engine.EngineResult.Kind;
import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.GateKinds;
import io.stagedrollout.core.gate.GateProbe;
import io.stagedrollout.core.gate.GateProgress;
import io.stagedrollout.core.gate.MeasureContext;
import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.BakeSchedule;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.Command;
import io.stagedrollout.core.machine.Decision;
import io.stagedrollout.core.machine.Effect;
import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.KeyHistory;
import io.stagedrollout.core.notify.Notification;
import io.stagedrollout.core.notify.Notifier;
import io.stagedrollout.core.notify.NotifyTarget;
import io.stagedrollout.core.policy.Closure;
import io.stagedrollout.core.policy.Freeze;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutMachine;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.RolloutVariables;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.machine.Target;
import io.stagedrollout.core.machine.Versions;
import io.stagedrollout.core.plan.ActionSpec;
import io.stagedrollout.core.plan.Durations;
import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.RolloutStore.ConflictException;
import io.stagedrollout.core.store.RolloutStore.StoreException;
import io.stagedrollout.core.action.ProcessControl;
import io.stagedrollout.core.report.CommandHints;
import io.stagedrollout.core.store.InFlightEffect;
import io.stagedrollout.core.store.RolloutLeases.LeaseLostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The imperative shell around {@link RolloutMachine}: read the state, ask the machine, commit with compare-and-set
 * (re-deciding on a conflict), then run the effects — deploy and revert actions — and feed their results back.
 * Every adapter (CLI, Jenkins, GitLab, GitHub) drives rollouts through this class.
 *
 * <p>Two ways to bake: {@link #tick} does whatever is due now and returns when to call again (Jenkins schedules it
 * on a timer and holds no thread); {@link #advance} and {@link #run} block, sleeping between ticks (the CLI).
 * Deploys and reverts are external when the plan defines no action for them (a Jenkins step's body deploys), or
 * when the caller says so.
 *
 * <p><b>Drivers.</b> Whatever runs effects — deploys, reverts, gate measurements — holds the key's lease
 * ({@link DriverSession}): {@link #run}, {@link #advance}, {@link #tick}, {@link #beginRing} with its deploy action,
 * and {@link #rollback} for its revert. A second driver waits for the lease ({@link LeasePolicy#wait()}), then gives
 * up with a CONFLICT naming the holder; drivers' commits are fenced with the lease's token, so a driver that lost its
 * lease commits nothing more. People's commands (promote, rollback, abort, start) never wait for a driver. An effect
 * runs while the driver watches the store: a rollback, an abort or a newer rollout committed meanwhile stops the
 * effect's whole process group, and the revert always runs last. {@link #requestStop} (SIGTERM) stops every effect,
 * journals what was left and gives the lease back.
 */
public final class RolloutEngine implements AutoCloseable {
    /** What probes and actions may use from the world. */
    public record Runtime(GateEnvironment gates, ActionEnvironment actions) {
        public static Runtime system(Path workDir) {
            return new Runtime(GateEnvironment.system(workDir), ActionEnvironment.system(workDir));
        }
    }

    /** The result of a tick, and when the next one is due (null: nothing scheduled — waiting for a person, or done). */
    public record Tick(EngineResult result, Instant wakeAt) {}

    private static final int MAX_RETRIES = 100;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
    private static final Duration POLL_EVERY = Duration.ofSeconds(1);
    /** Waiting for a window can take days: look at the store (and draw progress) every few seconds, not every one. */
    private static final Duration WINDOW_POLL_EVERY = Duration.ofSeconds(5);
    /** How long closing the engine waits for notifications still being delivered or retried. */
    private static final Duration NOTIFY_DRAIN = Notifier.CLOSE_WAIT; // hostile: a dead target must not hold up a command

    private final RolloutStore store;
    private final Runtime runtime;
    private final Clock clock;
    private final Sleeper sleeper;
    private final EngineListener listener;
    private final Map<String, GateProbe> probes = new HashMap<>();
    private final Notifier notifier;
    private volatile List<Freeze> hostFreezes = List.of();
    /** The lease each driving thread holds (one key at a time per thread). */
    private final Map<Thread, DriverSession> sessions = new ConcurrentHashMap<>();
    /** Threads running an effect for a driving thread, interrupted when the driver must stop at once. */
    private final Map<Thread, Thread> workers = new ConcurrentHashMap<>();
    private volatile String stopReason;
    private volatile String driverName = "staged-rollout engine";
    private volatile LeasePolicy policy = LeasePolicy.DEFAULT;
    private static final Duration EFFECT_POLL = Duration.ofMillis(250);

    public RolloutEngine(RolloutStore store, Runtime runtime, Clock clock, EngineListener listener) {
        this(store, runtime, clock, Sleeper.REAL, listener);
    }

    public RolloutEngine(RolloutStore store, Runtime runtime, Clock clock, Sleeper sleeper, EngineListener listener) {
        this.store = store;
        // one clock: probes stamp measurements and build query ranges with the engine's clock, never their own
        this.runtime = runtime.gates() == null ? runtime : new Runtime(runtime.gates().withClock(clock), runtime.actions());
        this.clock = clock;
        this.sleeper = sleeper;
        this.listener = listener;
        var actions = runtime.actions();
        this.notifier = new Notifier(actions == null || actions.env() == null ? System.getenv() : actions.env(),
                actions == null || actions.http() == null ? io.stagedrollout.core.net.LazyHttpClient.ofDefaults() : actions.http(),
                this::journalNotifyFailure, NOTIFY_DRAIN);
    }

    /**
     * Freezes the CI host announces (GitLab's {@code CI_DEPLOY_FREEZE}), honoured with the plan's own when a ring is
     * deployed. Returns this engine.
     */
    public RolloutEngine withHostFreezes(List<Freeze> freezes) {
        this.hostFreezes = List.copyOf(freezes);
        return this;
    }

    public List<Freeze> hostFreezes() {
        return hostFreezes;
    }

    /**
     * How this engine appears as a driver ({@code what}: "rollout run (alice)") and holds leases. Returns this engine.
     */
    public RolloutEngine asDriver(String what, LeasePolicy leasePolicy) {
        this.driverName = what;
        this.policy = leasePolicy;
        return this;
    }

    public LeasePolicy leasePolicy() {
        return policy;
    }

    /**
     * Stops every driver of this engine at its next poll (within about a second): effects in flight are ended
     * (SIGTERM to their process group, SIGKILL after the grace period), what was left is journaled as
     * DRIVER_STOPPED with the command that resumes, and the lease is given back. For SIGTERM and Ctrl-C.
     */
    public void requestStop(String why) {
        stopReason = why;
        workers.keySet().forEach(Thread::interrupt);
    }

    /** Waits until no thread of this engine drives any more (after {@link #requestStop}); false on timeout. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (sessions) {
            while (!sessions.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                sessions.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return true;
    }

    public RolloutStore store() {
        return store;
    }

    // ---- commands ---------------------------------------------------------------------------------------------

    /** Starts rolling out {@code version}, or attaches to the same version's active rollout (ALREADY_DONE). */
    public EngineResult start(RolloutPlan plan, String version, String stableVersion, Actor actor) throws StoreException {
        return start(plan, version, stableVersion, false, actor);
    }

    /** As {@link #start(RolloutPlan, String, String, Actor)}; {@code retry} rolls out again a version that was rolled back. */
    public EngineResult start(RolloutPlan plan, String version, String stableVersion, boolean retry, Actor actor)
            throws StoreException {
        String id = "r-" + UUID.randomUUID().toString().substring(0, 8);
        RolloutKey key = new RolloutKey(plan.service(), plan.environment());
        // the whole journal decides the retry guard and the stable version; read again on every attempt
        return transact(key, Target.ANY, s -> new Command.Start(plan, version, stableVersion, id, retry, actor, history(key, s)));
    }

    /**
     * Deploys ring {@code ringIndex}. With {@code runDeployAction} the plan's deploy action runs and the ring starts
     * baking when it succeeds; without it the caller deploys and then calls {@link #ringDeployed}.
     */
    public EngineResult beginRing(RolloutKey key, int ringIndex, Actor actor, boolean runDeployAction)
            throws StoreException, InterruptedException {
        return beginRing(key, ringIndex, actor, runDeployAction, null);
    }

    /**
     * As {@link #beginRing(RolloutKey, int, Actor, boolean)}; outside the ring's deployment window or in a freeze the
     * answer is NOT_YET naming the next opening, unless {@code overrideWindowReason} is given (journaled).
     */
    public EngineResult beginRing(RolloutKey key, int ringIndex, Actor actor, boolean runDeployAction,
            String overrideWindowReason) throws StoreException, InterruptedException {
        return beginRing(key, Target.ANY, ringIndex, actor, runDeployAction, overrideWindowReason);
    }

    /** As {@link #beginRing(RolloutKey, int, Actor, boolean, String)}, only if the key's rollout is {@code target}. */
    public EngineResult beginRing(RolloutKey key, Target target, int ringIndex, Actor actor, boolean runDeployAction,
            String overrideWindowReason) throws StoreException, InterruptedException {
        Function<RolloutState, Command> begin = s -> new Command.BeginRing(ringIndex, actor, hostFreezes, overrideWindowReason);
        if (!runDeployAction) return transactAndRun(key, target, begin, false, actor); // the caller deploys
        return drive(key, target, policy.leaseWait(), (t, session) -> transactAndRun(key, t, begin, true, actor));
    }

    public EngineResult ringDeployed(RolloutKey key, int ringIndex, boolean ok, String detail, Actor actor) throws StoreException {
        return ringDeployed(key, Target.ANY, ringIndex, ok, detail, actor);
    }

    public EngineResult ringDeployed(RolloutKey key, Target target, int ringIndex, boolean ok, String detail, Actor actor)
            throws StoreException {
        return transact(key, target, s -> new Command.RingDeployed(ringIndex, ok, detail, null, actor));
    }

    public EngineResult promote(RolloutKey key, String ring, boolean force, String note, Actor actor) throws StoreException {
        return promote(key, Target.ANY, ring, force, note, actor);
    }

    /**
     * Promotes from {@code ring}, only if the key's rollout is {@code target}: a command from an old notice or an old
     * pipeline is refused (CONFLICT, naming both rollouts) instead of promoting a newer rollout.
     */
    public EngineResult promote(RolloutKey key, Target target, String ring, boolean force, String note, Actor actor)
            throws StoreException {
        return transact(key, target, s -> new Command.Promote(ring, force, note, actor));
    }

    /** Rolls back; with {@code runRevertAction} the plan's revert action runs now (if the plan has one). */
    public EngineResult rollback(RolloutKey key, String reason, Actor actor, boolean runRevertAction)
            throws StoreException, InterruptedException {
        return rollback(key, Target.ANY, reason, actor, runRevertAction);
    }

    /** As {@link #rollback(RolloutKey, String, Actor, boolean)}, only if the key's rollout is {@code target}. */
    public EngineResult rollback(RolloutKey key, Target target, String reason, Actor actor, boolean runRevertAction)
            throws StoreException, InterruptedException {
        return rollback(key, target, reason, null, actor, runRevertAction);
    }

    /**
     * Rolls back (to {@code stableVersion} when given, else the rollout's stable version). The decision is committed at
     * once, whoever drives the rollout; the revert runs under the key's lease. When another driver holds the lease it
     * sees the rollback within a second, stops its deploy in flight (its process group) and runs the revert itself,
     * so this call waits for that (up to {@link LeasePolicy#rollbackWait()}) and reports how it ended.
     */
    public EngineResult rollback(RolloutKey key, Target target, String reason, String stableVersion, Actor actor,
            boolean runRevertAction) throws StoreException, InterruptedException {
        Committed c = commit(key, target, s -> new Command.Rollback(reason, actor, stableVersion));
        if (!(c.decision instanceof Decision.Applied a) || a.effects().isEmpty() || !runRevertAction
                || a.state().plan().actions().get(RolloutPlan.DEFAULT_REVERT) == null) {
            return c.result;
        }
        return revertWhenLeaseAllows(key, bound(target, a.state()), actor);
    }

    /** Runs a committed revert under the lease, or waits for the driver holding it to run it. */
    private EngineResult revertWhenLeaseAllows(RolloutKey key, Target target, Actor actor) throws StoreException, InterruptedException {
        Instant deadline = clock.instant().plus(policy.rollbackWait());
        boolean told = false;
        while (true) {
            RolloutState now = store.read(key).orElse(null);
            if (now == null || !target.matches(now) || now.status() != Status.ROLLING_BACK) {
                if (now == null || !target.matches(now)) return offTarget(key, now, target);
                EngineResult done = settled(now);
                return new EngineResult(done.kind(), now, done.message() + " (the revert was run by the driver that held the lease)");
            }
            try {
                return holding(key, target, Duration.ZERO, (t, session) -> {
                    RolloutState s = store.read(key).orElse(null);
                    if (s == null || !t.matches(s)) return offTarget(key, s, t);
                    if (s.status() != Status.ROLLING_BACK) return settled(s);
                    EngineResult r = runEffects(key, t, s, List.of(new Effect.Revert(s.reason())), true, actor);
                    return r == null ? settled(s) : r;
                });
            } catch (DriverSession.Halt busy) {
                if (sessions.containsKey(Thread.currentThread())) throw busy; // a driver's own rollback: its caller answers
                if (busy.why != DriverSession.Halt.Why.UNAVAILABLE) {
                    return new EngineResult(busy.kind, store.read(key).orElse(null), busy.getMessage());
                }
                if (!clock.instant().isBefore(deadline)) {
                    return new EngineResult(Kind.NOT_YET, now, "rollback recorded; the revert is left to the driver that "
                            + "holds the lease (" + busy.getMessage() + "). See when it is done: " + CommandHints.status(now) + " --wait");
                }
                if (!told) {
                    listener.output("rollback recorded; the driver holding the lease stops its deploy and reverts, or hands over: "
                            + store.leases().read(key).map(io.stagedrollout.core.store.Lease::describe).orElse("(no lease)"));
                    told = true;
                }
                if (stopReason != null) {
                    return new EngineResult(Kind.NOT_YET, now, "rollback recorded; stopped (" + stopReason
                            + ") before the revert ran; it runs when a driver resumes: " + CommandHints.advance(now));
                }
                sleeper.sleep(EFFECT_POLL);
            }
        }
    }

    public EngineResult revertFinished(RolloutKey key, boolean ok, String detail, Actor actor) throws StoreException {
        return revertFinished(key, Target.ANY, ok, detail, actor);
    }

    public EngineResult revertFinished(RolloutKey key, Target target, boolean ok, String detail, Actor actor)
            throws StoreException {
        return transact(key, target, s -> new Command.RevertFinished(ok, detail, actor));
    }

    public EngineResult abort(RolloutKey key, String reason, Actor actor) throws StoreException {
        return abort(key, Target.ANY, reason, actor);
    }

    public EngineResult abort(RolloutKey key, Target target, String reason, Actor actor) throws StoreException {
        return transact(key, target, s -> new Command.Abort(reason, actor));
    }

    /**
     * Resolves a FAILED rollout (its revert failed): {@code reverted} — production is back on the stable version; or
     * accepted as it stands. Until then the key's next start is refused.
     */
    public EngineResult resolve(RolloutKey key, Target target, boolean reverted, String reason, Actor actor) throws StoreException {
        return transact(key, target, s -> new Command.Resolve(reverted, reason, actor));
    }

    /** The key's lease: which driver holds it (or held it last), if any ever did. */
    public Optional<io.stagedrollout.core.store.Lease> lease(RolloutKey key) throws StoreException {
        return store.leases().read(key);
    }

    public Optional<RolloutState> status(RolloutKey key) throws StoreException {
        return store.read(key);
    }

    public List<RolloutEvent> history(RolloutKey key) throws StoreException {
        return store.history(key);
    }

    // ---- baking -----------------------------------------------------------------------------------------------

    /** Measures every gate that is due, concludes the ring if its bake is over, and never sleeps. */
    public Tick tick(RolloutKey key, Actor actor) throws StoreException, InterruptedException {
        return tick(key, Target.ANY, actor);
    }

    /**
     * As {@link #tick(RolloutKey, Actor)}, only for {@code target}; a newer rollout on the key is a CONFLICT. Measures
     * under the key's lease; when another driver holds it, nothing is measured and the tick answers NOT_YET a few
     * seconds later (that driver measures).
     */
    public Tick tick(RolloutKey key, Target target, Actor actor) throws StoreException, InterruptedException {
        DriverSession held = sessions.get(Thread.currentThread());
        if (held != null && held.key().equals(key)) return tickHeld(key, target, actor);
        try {
            return holding(key, target, Duration.ZERO, (t, session) -> tickHeld(key, t, actor));
        } catch (DriverSession.Halt h) {
            Optional<RolloutState> s = store.read(key);
            if (h.why == DriverSession.Halt.Why.UNAVAILABLE) {
                return new Tick(new EngineResult(Kind.NOT_YET, s.orElse(null), h.getMessage()), clock.instant().plusSeconds(5));
            }
            return new Tick(new EngineResult(h.kind, s.orElse(null), h.getMessage()), null);
        }
    }

    private Tick tickHeld(RolloutKey key, Target target, Actor actor) throws StoreException, InterruptedException {
        Optional<RolloutState> read = store.read(key);
        if (read.isEmpty()) return new Tick(new EngineResult(Kind.NOT_FOUND, null, "no rollout " + key), null);
        RolloutState s = read.get();
        if (!target.matches(s)) return new Tick(offTarget(key, s, target), null);
        target = bound(target, s);
        if (s.status() != Status.BAKING) return new Tick(settled(s), null);
        Instant now = clock.instant();
        for (GateProgress p : s.gates()) {
            GateSpec spec = s.plan().gates().get(p.gate());
            Instant due = BakeSchedule.nextDue(spec, s.bakeStartedAt(), s.ring().bake(), p);
            if (due == null || due.isAfter(now)) continue;
            final int ring = s.ringIndex();
            final int slot = p.measurements();
            Measurement m = measure(key, target, s, spec, p);
            if (m == null) return new Tick(settledOrOff(key, target), null); // the rollout moved on while measuring
            EngineResult r = transactAndRun(key, target, st -> new Command.Measured(ring, m, actor, slot), true, actor);
            s = r.state();
            if (s == null || s.status() != Status.BAKING || s.ringIndex() != ring) {
                closeProbes();
                return new Tick(r, null);
            }
        }
        now = clock.instant();
        if (!now.isBefore(RolloutMachine.concludeAt(s)) && countsDone(s)) {
            final int ring = s.ringIndex();
            EngineResult r = transactAndRun(key, target, st -> new Command.Conclude(ring, actor), true, actor);
            if (r.kind() == Kind.APPLIED) {
                closeProbes();
                return new Tick(r, null);
            }
            s = r.state() == null ? s : r.state();
        }
        Instant next = RolloutMachine.nextMeasurementDue(s);
        Instant conclude = RolloutMachine.concludeAt(s);
        Instant wake = next == null || conclude.isBefore(next) ? conclude : next;
        if (wake.isBefore(now)) wake = now;
        return new Tick(new EngineResult(Kind.NOT_YET, s, "ring " + s.ringName() + " is baking"), wake);
    }

    private static boolean countsDone(RolloutState s) {
        for (GateProgress p : s.gates()) {
            if (!BakeSchedule.countReached(s.plan().gates().get(p.gate()), p)) return false;
        }
        return true;
    }

    /** Measures a gate on a watched worker; null when the rollout stopped baking this ring meanwhile. */
    private Measurement measure(RolloutKey key, Target target, RolloutState s, GateSpec spec, GateProgress p)
            throws StoreException, InterruptedException {
        int ring = s.ringIndex();
        Watched<Measurement> w = watched("measuring " + spec.name(), () -> measure(s, spec, p),
                st -> st != null && target.matches(st) && st.status() == Status.BAKING && st.ringIndex() == ring, key);
        return w.value();
    }

    private Measurement measure(RolloutState s, GateSpec spec, GateProgress p) throws InterruptedException {
        String probeKey = s.id() + "/" + s.ringIndex() + "/" + spec.name();
        GateProbe probe;
        try {
            // a probe that cannot be set up (a refused setting, a kind missing from this build) is not cached, so the
            // next interval tries again, and it counts as an error: never a pass, and never a crash of the driver
            probe = probes.computeIfAbsent(probeKey, k -> GateKinds.find(spec.kind())
                    .orElseThrow(() -> new IllegalStateException("gate kind " + spec.kind() + " is not available in this build"))
                    .open(spec, runtime.gates()));
        } catch (RuntimeException e) {
            return Measurement.error(spec.name(), clock.instant(), "the " + spec.kind() + " probe could not be set up: "
                    + io.stagedrollout.core.text.Redact.text(String.valueOf(e.getMessage())));
        }
        MeasureContext ctx = new MeasureContext(RolloutVariables.forRing(s, s.ringIndex()), s.bakeStartedAt(),
                clock.instant(), p.last() == null ? List.of() : List.of(p.last()));
        try {
            return probe.measure(ctx);
        } catch (RuntimeException e) {
            // a probe bug must not pass a gate: it is broken data
            return Measurement.error(spec.name(), clock.instant(), "the " + spec.kind() + " probe failed: "
                    + io.stagedrollout.core.text.Redact.text(e.toString()));
        }
    }

    /**
     * Drives the rollout one ring forward and blocks until that ring has a verdict: deploys the next ring (from
     * PENDING or PROMOTING), resumes a deploy or bake that was interrupted, bakes, and runs the revert when the ring
     * fails. Returns NOT_YET when the rollout waits for a person.
     */
    public EngineResult advance(RolloutKey key, Actor actor) throws StoreException, InterruptedException {
        return advance(key, actor, null);
    }

    /** As {@link #advance(RolloutKey, Actor)}, deploying the next ring outside its window with a journaled reason. */
    public EngineResult advance(RolloutKey key, Actor actor, String overrideWindowReason) throws StoreException, InterruptedException {
        return advance(key, Target.ANY, actor, overrideWindowReason);
    }

    /**
     * As {@link #advance(RolloutKey, Actor, String)}, only for {@code target}. Every step is bound to the rollout found
     * first, so an advance never moves on to a newer rollout started on the key meanwhile (it answers CONFLICT).
     */
    public EngineResult advance(RolloutKey key, Target target, Actor actor, String overrideWindowReason)
            throws StoreException, InterruptedException {
        return drive(key, target, policy.leaseWait(), (t, session) -> advanceHeld(key, t, actor, overrideWindowReason));
    }

    private EngineResult advanceHeld(RolloutKey key, Target target, Actor actor, String overrideWindowReason)
            throws StoreException, InterruptedException {
        Optional<RolloutState> read = store.read(key);
        if (read.isEmpty()) return new EngineResult(Kind.NOT_FOUND, null, "no rollout " + key + "; start one first");
        RolloutState s = read.get();
        if (!target.matches(s)) return offTarget(key, s, target);
        target = bound(target, s);
        switch (s.status()) {
            case PENDING, PROMOTING -> {
                EngineResult r = beginRing(key, target, s.ringIndex() + 1, actor, true, overrideWindowReason);
                if (r.kind() != Kind.APPLIED) return r;
                s = r.state();
            }
            case DEPLOYING -> s = resumeEffect(key, target, s, new Effect.DeployRing(s.ringIndex()), actor);
            case ROLLING_BACK -> s = resumeEffect(key, target, s, new Effect.Revert(s.reason()), actor);
            default -> { }
        }
        if (!target.matches(s)) return offTarget(key, s, target);
        if (s.status() == Status.DEPLOYING) {
            return new EngineResult(Kind.NOT_YET, s, "ring " + s.ringName() + " is being deployed by someone else");
        }
        return bake(key, target, s, actor);
    }

    /**
     * Drives the rollout to its end: every ring, waiting for approval between rings (another process's promote or
     * rollback releases the wait; {@code autoApprove} promotes rings that passed by itself). Returns when the
     * rollout is finished.
     */
    public EngineResult run(RolloutKey key, boolean autoApprove, Actor actor) throws StoreException, InterruptedException {
        return run(key, Target.ANY, autoApprove, actor);
    }

    /**
     * As {@link #run(RolloutKey, boolean, Actor)}, bound to {@code target} (or to the rollout found first): when that
     * rollout is aborted or replaced by a newer one, the run stops (CONFLICT) and never drives the newer rollout —
     * in particular it never approves the newer rollout's manual rings with {@code autoApprove}.
     */
    public EngineResult run(RolloutKey key, Target target, boolean autoApprove, Actor actor)
            throws StoreException, InterruptedException {
        return drive(key, target, policy.leaseWait(), (t, session) -> runHeld(key, t, autoApprove, actor));
    }

    /** The run loop, under the lease (held while it waits for approval too: one driver per key). */
    private EngineResult runHeld(RolloutKey key, Target target, boolean autoApprove, Actor actor)
            throws StoreException, InterruptedException {
        while (true) {
            EngineResult r = advanceHeld(key, target, actor, null);
            RolloutState s = r.state();
            if (r.kind() == Kind.CONFLICT && s != null && !target.matches(s)) return r;
            if (s == null || s.status().isTerminal()) return r;
            if (s.status() == Status.AWAITING_APPROVAL) {
                if (autoApprove && RolloutMachine.HOLD_APPROVAL.equals(s.hold())) {
                    EngineResult p = promote(key, target, s.ringName(), false, "--auto-approve", actor);
                    if (p.kind() == Kind.CONFLICT && p.state() != null && !target.matches(p.state())) return p;
                    continue;
                }
                s = awaitChange(key, s);
                if (!target.matches(s)) return offTarget(key, s, target);
                if (s.status().isTerminal()) return settled(s);
            } else if (r.kind() == Kind.NOT_YET && (s.status() == Status.PENDING || s.status() == Status.PROMOTING)) {
                Optional<Closure> closed = RolloutMachine.waitingFor(s, clock.instant(), hostFreezes);
                if (closed.isEmpty()) continue; // it opened meanwhile
                if (closed.get().opensAt() == null) return r; // nobody knows when: a later run (or job) tries again
                awaitOpening(key, s, closed.get());
            } else if (s.status() == Status.DEPLOYING || s.status() == Status.BAKING) {
                pause(POLL_EVERY); // someone else is deploying; look again
            }
        }
    }

    /** Waits until the deployment window opens, or someone else changes the rollout (a rollback, an abort). */
    private void awaitOpening(RolloutKey key, RolloutState waiting, Closure closed) throws StoreException, InterruptedException {
        listener.output("ring " + waiting.plan().ring(waiting.ringIndex() + 1).name() + " waits: " + closed.describe());
        while (true) {
            Instant now = clock.instant();
            if (!now.isBefore(closed.opensAt())) return;
            listener.progress(waiting, now);
            Duration left = Duration.between(now, closed.opensAt());
            pause(left.compareTo(WINDOW_POLL_EVERY) < 0 ? left : WINDOW_POLL_EVERY);
            RolloutState current = store.read(key).orElse(waiting);
            if (current.revision() != waiting.revision()) return;
        }
    }

    /** Waits while the rollout waits for a person, until someone promotes, rolls back or aborts it. */
    public RolloutState awaitChange(RolloutKey key, RolloutState waiting) throws StoreException, InterruptedException {
        while (true) {
            listener.progress(waiting, clock.instant());
            pause(POLL_EVERY);
            RolloutState now = store.read(key).orElse(waiting);
            if (now.revision() != waiting.revision()) return now;
        }
    }

    private EngineResult bake(RolloutKey key, Target target, RolloutState s, Actor actor) throws StoreException, InterruptedException {
        while (s.status() == Status.BAKING) {
            Tick t = tick(key, target, actor);
            s = t.result().state();
            if (s == null) throw new StoreException("rollout " + key + " disappeared from the store while baking");
            if (!target.matches(s)) return t.result();
            if (t.wakeAt() == null) break;
            Instant until = t.wakeAt();
            while (true) {
                Instant now = clock.instant();
                if (!now.isBefore(until)) break;
                listener.progress(s, now);
                Duration left = Duration.between(now, until);
                pause(left.compareTo(PROGRESS_EVERY) < 0 ? left : PROGRESS_EVERY);
                // someone else's decision (a rollback, an abort, a forced promote, a newer rollout) ends the wait:
                // another shell's command is seen within a second, not at the next measurement
                RolloutState current = store.read(key).orElse(null);
                if (current == null || current.revision() != s.revision()) break;
            }
        }
        // a ring that failed may have left a revert to run (the revert effect runs inside the transaction above)
        return settled(s);
    }

    private RolloutState resumeEffect(RolloutKey key, Target target, RolloutState s, Effect effect, Actor actor)
            throws StoreException, InterruptedException {
        listener.output("resuming: " + (effect instanceof Effect.DeployRing ? "deploying ring " + s.ringName() : "reverting"));
        EngineResult r = runEffects(key, target, s, List.of(effect), true, actor);
        return r == null ? s : r.state();
    }

    /** The target every later step of a driver is bound to: the given one, or the rollout it found. */
    private static Target bound(Target target, RolloutState s) {
        return target.rolloutId() != null ? target : new Target(s.id(), target.version());
    }

    private EngineResult offTarget(RolloutKey key, RolloutState current, Target target) throws StoreException {
        return offTarget(store, key, current, target);
    }

    /**
     * The answer to a command aimed at {@code target} when the key's rollout is {@code current}, another one: a
     * CONFLICT naming both rollouts (the one aimed at as the journal knows it, and the key's).
     */
    public static EngineResult offTarget(RolloutStore store, RolloutKey key, RolloutState current, Target target)
            throws StoreException {
        Decision.Refused r = RolloutMachine.offTarget(current, target);
        return new EngineResult(r.refusal() == Decision.Refusal.NOT_FOUND ? Kind.NOT_FOUND : Kind.CONFLICT, current,
                describeTarget(store, key, target) + r.message());
    }

    /** "rollout r-1 (version 2.0.0) has ended: ABORTED. ", from the journal, or "" when it knows nothing of it. */
    private static String describeTarget(RolloutStore store, RolloutKey key, Target target) throws StoreException {
        List<RolloutEvent> history = store.history(key);
        String id = target.rolloutId();
        if (id == null) {
            // aimed by version only: the key's latest rollout of that version, if any
            for (RolloutEvent e : history) {
                Object v = e.evidence().get("version");
                if (EventType.STARTED.equals(e.type()) && v != null && Versions.same(String.valueOf(v), target.version())) {
                    id = e.rolloutId();
                }
            }
            if (id == null) return "";
        }
        String version = null;
        Status last = null;
        for (RolloutEvent e : history) {
            if (!id.equals(e.rolloutId())) continue;
            if (EventType.STARTED.equals(e.type()) && e.evidence().get("version") != null) version = String.valueOf(e.evidence().get("version"));
            if (e.to() != null) last = e.to();
        }
        if (last == null) return "rollout " + id + " is not known on " + key + ". ";
        return "rollout " + id + (version == null ? "" : " (version " + version + ")")
                + (last.isTerminal() ? " has ended: " + last : " was replaced") + ". ";
    }

    /** The result that describes a rollout at rest. */
    private static EngineResult settled(RolloutState s) {
        Kind k = switch (s.status()) {
            case AWAITING_APPROVAL -> Kind.NOT_YET;
            default -> Kind.APPLIED;
        };
        String msg = switch (s.status()) {
            case AWAITING_APPROVAL -> "ring " + s.ringName() + " waits for a person (" + s.hold() + ")"
                    + (s.reason() == null ? "" : ": " + s.reason());
            case COMPLETED -> "rollout of " + s.version() + " completed";
            case ROLLED_BACK -> "rolled back to " + (s.stableVersion() == null ? "the stable version" : s.stableVersion())
                    + ": " + s.reason();
            case FAILED -> "the rollout failed: " + s.reason();
            case ABORTED -> "the rollout was aborted: " + s.reason();
            case PROMOTING -> "ring " + s.ringName() + " passed and was promoted";
            default -> "ring " + s.ringName() + " is " + s.status();
        };
        return new EngineResult(k, s, msg);
    }

    // ---- the transaction --------------------------------------------------------------------------------------

    private EngineResult transactAndRun(RolloutKey key, Target target, Function<RolloutState, Command> command,
            boolean runActions, Actor actor) throws StoreException, InterruptedException {
        Committed c = commit(key, target, command);
        if (c.decision instanceof Decision.Applied a && !a.effects().isEmpty()) {
            EngineResult after = runEffects(key, bound(target, a.state()), a.state(), a.effects(), runActions, actor);
            if (after != null) return after;
        }
        return c.result;
    }

    private EngineResult transact(RolloutKey key, Target target, Function<RolloutState, Command> command) throws StoreException {
        return commit(key, target, command).result;
    }

    private record Committed(Decision decision, EngineResult result) {}

    /** A store failure inside a command's construction (reading the key's history), carried out of the lambda. */
    private static final class UncheckedStore extends RuntimeException {
        final StoreException cause;

        UncheckedStore(StoreException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }

    /** The key's journal as the machine reads it to start a rollout (retry guard, stable version). */
    private KeyHistory history(RolloutKey key, RolloutState current) {
        if (current == null) return KeyHistory.EMPTY;
        try {
            return KeyHistory.of(store.history(key));
        } catch (StoreException e) {
            throw new UncheckedStore(e);
        }
    }

    /** The rollout at rest as {@code target} sees it: settled, or a CONFLICT when the key moved on. */
    private EngineResult settledOrOff(RolloutKey key, Target target) throws StoreException {
        RolloutState now = store.read(key).orElse(null);
        return now == null || !target.matches(now) ? offTarget(key, now, target) : settled(now);
    }

    /**
     * Decides on the current state and commits with compare-and-set, deciding again after a conflict. A driver's
     * commits (this thread holds the key's lease) are fenced with its token; a lost lease halts the driver.
     */
    private Committed commit(RolloutKey key, Target target, Function<RolloutState, Command> command) throws StoreException {
        DriverSession session = sessions.get(Thread.currentThread());
        if (session != null && !session.key().equals(key)) session = null;
        if (session != null) session.check();
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            RolloutState current = store.read(key).orElse(null);
            Command c;
            try {
                c = command.apply(current);
            } catch (UncheckedStore e) {
                throw e.cause;
            }
            Decision d = RolloutMachine.apply(current, c, clock.instant(), target);
            if (d instanceof Decision.Applied a) {
                try {
                    store.commit(key, current == null ? 0 : current.revision(), a.state(), a.events(),
                            session == null ? null : session.fence());
                } catch (ConflictException e) {
                    continue; // someone else committed first: decide again on what they wrote
                } catch (LeaseLostException lost) {
                    session.markLost(lost.getMessage());
                    throw session.lostHalt();
                }
                a.events().forEach(listener::event);
                notifier.publish(a.state(), a.events());
                return new Committed(d, new EngineResult(Kind.APPLIED, a.state(), a.events().isEmpty() ? ""
                        : a.events().get(a.events().size() - 1).reason()));
            }
            if (d instanceof Decision.AlreadyDone done) {
                return new Committed(d, new EngineResult(Kind.ALREADY_DONE, done.state(), done.message()));
            }
            Decision.Refused r = (Decision.Refused) d;
            if (!target.isAny() && !target.matches(r.state())) return new Committed(d, offTarget(key, r.state(), target));
            Kind k = switch (r.refusal()) {
                case CONFLICT -> Kind.CONFLICT;
                case NOT_FOUND -> Kind.NOT_FOUND;
                case NOT_YET -> Kind.NOT_YET;
                case INVALID -> Kind.INVALID;
            };
            return new Committed(d, new EngineResult(k, r.state(), r.message()));
        }
        throw new StoreException("rollout " + key + " kept changing underneath; gave up after " + MAX_RETRIES + " attempts");
    }

    /** Runs deploy and revert effects through the plan's actions and commits their outcome; null if none ran. */
    private EngineResult runEffects(RolloutKey key, Target target, RolloutState s, List<Effect> effects, boolean runActions,
            Actor actor) throws StoreException, InterruptedException {
        if (!runActions) return null;
        EngineResult last = null;
        for (Effect e : effects) {
            if (e instanceof Effect.DeployRing d) {
                int ring = d.ringIndex();
                String ringName = s.plan().ring(ring).name();
                ActionSpec spec = s.plan().actions().get(s.plan().ring(ring).deploy());
                if (spec == null) continue; // deployed by the caller (e.g. a Jenkins step body)
                Watched<ActionResult> w = runEffect(key, target, spec, Operation.DEPLOY, RolloutVariables.forRing(s, ring), ringName,
                        st -> st != null && target.matches(st) && st.status() == Status.DEPLOYING && st.ringIndex() == ring);
                if (w.value() == null) return deployStopped(key, target, ringName, w.stoppedBecause(), actor);
                ActionResult r = w.value();
                last = commit(key, target, st -> new Command.RingDeployed(ring, r.ok(), r.detail(), r.actualPercent(), actor)).result;
                if (last.state() != null && target.matches(last.state()) && last.state().status() == Status.ROLLING_BACK) {
                    EngineResult rb = runEffects(key, target, last.state(), List.of(new Effect.Revert(last.state().reason())), true, actor);
                    if (rb != null) last = rb;
                }
            } else if (e instanceof Effect.Revert) {
                ActionSpec spec = s.plan().actions().get(RolloutPlan.DEFAULT_REVERT);
                if (spec == null) continue; // reverted by the caller (a rollback step's body)
                // re-read: the revert uses the stable version as committed (a rollback may have named another)
                RolloutState now = store.read(key).orElse(null);
                if (now == null || !target.matches(now)) return offTarget(key, now, target);
                if (now.status() != Status.ROLLING_BACK) return settled(now); // another driver reverted already
                Watched<ActionResult> w = runEffect(key, target, spec, Operation.REVERT, RolloutVariables.forRevert(now), null,
                        st -> true); // a revert is never stopped by the rollout's state: it is the last effect
                ActionResult r = w.value();
                last = commit(key, target, st -> new Command.RevertFinished(r.ok(), r.detail(), actor)).result;
            }
        }
        return last;
    }

    /**
     * A deploy stopped in flight (a rollback, an abort or a newer rollout came while it ran): its processes are
     * gone; journal it, and run the revert when the rollout is now rolling back — the revert is the last effect.
     */
    private EngineResult deployStopped(RolloutKey key, Target target, String ring, String because, Actor actor)
            throws StoreException, InterruptedException {
        Map<String, Object> ev = new java.util.LinkedHashMap<>();
        ev.put("effect", "deploy");
        ev.put("ring", ring);
        ev.put("because", because);
        journal(key, target, EventType.EFFECT_STOPPED, ring, "the deploy of ring " + ring + " was stopped because "
                + because + "; its processes were ended (SIGTERM to its process group, SIGKILL after "
                + Durations.format(policy.stopGrace()) + ")", ev);
        RolloutState now = store.read(key).orElse(null);
        if (now == null || !target.matches(now)) return offTarget(key, now, target);
        if (now.status() == Status.ROLLING_BACK) {
            EngineResult rb = runEffects(key, target, now, List.of(new Effect.Revert(now.reason())), true, actor);
            if (rb != null) return rb;
        }
        return settled(now);
    }

    /** A value computed on a watched worker, or why it was stopped before it finished. */
    private record Watched<T>(T value, String stoppedBecause) {}

    /**
     * Runs an action as an effect of the lease this thread holds: checked against the committed state before it
     * starts, recorded in the lease while it may run (so a driver taking over after a crash ends it or waits for it),
     * tagged so all its processes can be found, and watched while it runs.
     */
    private Watched<ActionResult> runEffect(RolloutKey key, Target target, ActionSpec spec, Operation op,
            Map<String, String> variables, String ring, Predicate<RolloutState> stillWanted) throws StoreException, InterruptedException {
        DriverSession session = sessions.get(Thread.currentThread());
        if (session == null || !session.key().equals(key)) {
            throw new IllegalStateException("an effect runs only under the lease of " + key);
        }
        session.renewIfDue();
        RolloutState before = store.read(key).orElse(null);
        if (!stillWanted.test(before)) return new Watched<>(null, describeChange(before, target));
        Action action = ActionKinds.find(spec.kind())
                .orElseThrow(() -> new IllegalStateException("action kind " + spec.kind() + " is not available in this build"))
                .open(spec, runtime.actions());
        String kind = op == Operation.DEPLOY ? "deploy" : "revert";
        String tag = kind + ":" + key + ":" + target.rolloutId() + ":" + session.lease().token() + ":"
                + UUID.randomUUID().toString().substring(0, 8);
        session.addEffect(new InFlightEffect(kind, ring, tag, LocalMachine.machine(), LocalMachine.host(), 0,
                clock.instant().plus(effectLimit(spec)).plus(policy.stopGrace()).plusSeconds(5)));
        Map<String, String> vars = new java.util.LinkedHashMap<>(variables);
        vars.put("ROLLOUT_FENCING_TOKEN", Long.toString(session.lease().token()));
        listener.output(kind + ": running action '" + spec.name() + "' (" + spec.kind() + ") for " + variables.get("ROLLOUT_RING")
                + " at " + variables.get("ROLLOUT_PERCENT") + "% (lease token " + session.lease().token() + ")");
        ProcessControl control = new ProcessControl(tag, policy.stopGrace());
        Watched<ActionResult> w;
        try {
            w = watched(kind + " " + (ring == null ? "" : ring), () -> {
                try {
                    return action.run(new ActionRequest(op, vars, line -> listener.output("  | " + line), control));
                } catch (RuntimeException e) {
                    return ActionResult.failed("action '" + spec.name() + "' failed: " + e);
                }
            }, stillWanted, key);
        } catch (DriverSession.Halt h) {
            // the worker has ended (its processes too): the record goes, unless the lease is gone
            if (!session.lost()) session.removeEffect(tag);
            throw h;
        }
        session.removeEffect(tag);
        return w;
    }

    /** How long an action can run at most, from its settings: its time limit times its attempts. */
    static Duration effectLimit(ActionSpec spec) {
        boolean webhook = "webhook".equals(spec.kind());
        Object t = spec.settings().get("timeout");
        Duration timeout = t == null ? null : Durations.parse(t.toString()).orElse(null);
        if (timeout == null) timeout = webhook ? Duration.ofSeconds(30) : Duration.ofMinutes(10);
        Object r = spec.settings().get("retries");
        long retries = r instanceof Number n ? n.longValue() : webhook ? 2 : 0;
        return timeout.multipliedBy(retries + 1).plusSeconds(10 * retries);
    }

    /**
     * Runs {@code work} on a worker thread while this (driving) thread watches: it renews the lease, and when the
     * rollout is no longer as {@code stillWanted} needs it, or the lease is lost, or the engine is told to stop, it
     * interrupts the worker — whose programs are ended, process group and all — and waits for it to finish.
     */
    private <T> Watched<T> watched(String what, Callable<T> work, Predicate<RolloutState> stillWanted, RolloutKey key)
            throws StoreException, InterruptedException {
        DriverSession session = sessions.get(Thread.currentThread());
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, what + " (" + key + ")");
        worker.setDaemon(true);
        workers.put(worker, Thread.currentThread());
        worker.start();
        try {
            while (true) {
                if (stopReason != null) {
                    endWorker(worker, result);
                    throw stopped("while " + what.strip() + " (it was stopped and its processes ended)");
                }
                try {
                    return new Watched<>(result.get(EFFECT_POLL.toMillis(), TimeUnit.MILLISECONDS), null);
                } catch (TimeoutException stillRunning) {
                    // look at the world below
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof InterruptedException && stopReason != null) continue; // reported above
                    if (c instanceof InterruptedException ie) throw ie;
                    if (c instanceof RuntimeException re) throw re;
                    if (c instanceof Error er) throw er;
                    throw new IllegalStateException(c);
                }
                if (session != null) {
                    try {
                        session.renewIfDue();
                    } catch (DriverSession.Halt lost) {
                        endWorker(worker, result);
                        throw lost;
                    }
                }
                RolloutState now;
                try {
                    now = store.read(key).orElse(null);
                } catch (StoreException unreadable) {
                    continue; // the lease's renewal decides whether this driver may go on
                }
                if (!stillWanted.test(now)) {
                    endWorker(worker, result);
                    return new Watched<>(null, describeChange(now, null));
                }
            }
        } catch (InterruptedException e) {
            endWorker(worker, result); // this thread was interrupted (a Jenkins abort): end what it started
            throw e;
        } finally {
            workers.remove(worker);
        }
    }

    /** Interrupts the worker and waits until it (and so every program it ran) has ended. */
    private void endWorker(Thread worker, CompletableFuture<?> result) {
        worker.interrupt();
        boolean interrupted = Thread.interrupted();
        try {
            long deadline = System.nanoTime() + policy.stopGrace().plusSeconds(20).toNanos();
            while (!result.isDone() && System.nanoTime() < deadline) {
                try {
                    result.handle((v, x) -> null).get(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException again) {
                    interrupted = true;
                } catch (ExecutionException | TimeoutException notYet) {
                    // keep waiting
                }
            }
            if (!result.isDone()) listener.output("warning: " + worker.getName() + " did not end within the grace period");
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Why a watched effect is not wanted any more, in words. */
    private static String describeChange(RolloutState now, Target target) {
        if (now == null) return "the rollout disappeared from the store";
        if (target != null && !target.matches(now)) return "the key moved on to rollout " + now.id() + " of " + now.version();
        return switch (now.status()) {
            case ROLLING_BACK -> "a rollback was requested" + (now.reason() == null ? "" : " (" + now.reason() + ")");
            case ABORTED -> "the rollout was aborted" + (now.reason() == null ? "" : " (" + now.reason() + ")");
            default -> "the rollout is now " + now.status() + (now.ringName() == null ? "" : " at ring " + now.ringName())
                    + " (rollout " + now.id() + ")";
        };
    }

    // ---- driving: the lease --------------------------------------------------------------------------------------

    /** A driver's work under the lease, given the target bound to the rollout found when the lease was taken. */
    private interface Driving<T> {
        T run(Target bound, DriverSession session) throws StoreException, InterruptedException;
    }

    /**
     * Runs {@code body} holding {@code key}'s lease: the lease this thread already holds, or a new one, taken within
     * {@code wait}. Halts (no lease, lease lost, told to stop) propagate; a stop is journaled before the lease goes.
     */
    private <T> T holding(RolloutKey key, Target target, Duration wait, Driving<T> body) throws StoreException, InterruptedException {
        DriverSession held = sessions.get(Thread.currentThread());
        Target t = target;
        if (t.rolloutId() == null) {
            RolloutState first = store.read(key).orElse(null);
            if (first != null && t.matches(first)) t = bound(t, first);
        }
        if (held != null) {
            if (!held.key().equals(key)) throw new IllegalStateException("a driver drives one key at a time: " + held.key());
            held.check();
            return body.run(t, held);
        }
        checkStop();
        DriverSession session = DriverSession.acquire(store, key, t.rolloutId(), LocalMachine.holder(driverName), policy,
                clock, sleeper, listener, wait, () -> stopReason != null);
        synchronized (sessions) {
            sessions.put(Thread.currentThread(), session);
        }
        try {
            return body.run(t, session);
        } catch (DriverSession.Halt h) {
            if (h.why == DriverSession.Halt.Why.STOPPED && !session.lost()) journalDriverStopped(key, t, h.getMessage());
            throw h;
        } finally {
            session.release();
            synchronized (sessions) {
                sessions.remove(Thread.currentThread());
                sessions.notifyAll();
            }
        }
    }

    /**
     * As {@link #holding}, for commands that answer an EngineResult: a halt becomes the answer of the outermost
     * driving call (nested calls pass it on, so the stop is journaled and the lease given back once, at the top).
     */
    private EngineResult drive(RolloutKey key, Target target, Duration wait, Driving<EngineResult> body)
            throws StoreException, InterruptedException {
        boolean outermost = !sessions.containsKey(Thread.currentThread());
        try {
            return holding(key, target, wait, body);
        } catch (DriverSession.Halt h) {
            if (!outermost) throw h;
            return new EngineResult(h.kind, store.read(key).orElse(null), h.getMessage());
        }
    }

    private void checkStop() {
        if (stopReason != null) throw stopped("");
    }

    private DriverSession.Halt stopped(String where) {
        return new DriverSession.Halt(DriverSession.Halt.Why.STOPPED, Kind.NOT_YET,
                "the driver was stopped (" + stopReason + ")" + (where.isEmpty() ? "" : " " + where));
    }

    /** Waits between polls of a driver: renews the lease, and stops at once when told to. */
    private void pause(Duration d) throws InterruptedException {
        DriverSession session = sessions.get(Thread.currentThread());
        checkStop();
        if (session != null) session.renewIfDue();
        sleeper.sleep(d);
        checkStop();
        if (session != null) session.renewIfDue();
    }

    /** Journals what a stopped driver left, and how to resume (DRIVER_STOPPED). */
    private void journalDriverStopped(RolloutKey key, Target target, String what) {
        try {
            RolloutState s = store.read(key).orElse(null);
            if (s == null || !target.matches(s)) return;
            String left = s.status().isTerminal() ? "the rollout is " + s.status()
                    : "the rollout stays " + s.status() + (s.ringName() == null ? "" : " at ring " + s.ringName())
                    + " with nobody driving it; resume with: " + CommandHints.advance(s);
            journal(key, target, EventType.DRIVER_STOPPED, s.ringName(), what + "; " + left,
                    Map.of("stoppedBy", String.valueOf(stopReason)));
        } catch (StoreException | RuntimeException e) {
            listener.output("could not journal that the driver stopped: " + e.getMessage());
        }
    }

    /**
     * Commits an event on its own revision with the state unchanged (fenced when this thread drives the key), so
     * that what happened to an effect is in the journal even when no transition follows.
     */
    private void journal(RolloutKey key, Target target, String type, String ring, String reason, Map<String, Object> evidence)
            throws StoreException {
        DriverSession session = sessions.get(Thread.currentThread());
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            RolloutState current = store.read(key).orElse(null);
            if (current == null || !target.matches(current)) return;
            RolloutState same = current.atRevision(current.revision() + 1);
            RolloutEvent e = new RolloutEvent(same.revision(), same.id(), clock.instant(), type, Actor.system("driver"),
                    current.status(), current.status(), ring, reason, evidence);
            try {
                store.commit(key, current.revision(), same, List.of(e), session != null && session.key().equals(key) ? session.fence() : null);
            } catch (ConflictException c) {
                continue;
            } catch (LeaseLostException lost) {
                session.markLost(lost.getMessage());
                throw session.lostHalt();
            }
            listener.event(e);
            return;
        }
    }

    /**
     * Journals a notification that could not be delivered: a NOTIFY_FAILED event committed through the store on its
     * own revision with the state unchanged, so it is durable even when no later transition comes (a completed
     * rollout). It names the target and the error, never the URL.
     */
    private void journalNotifyFailure(RolloutState about, NotifyTarget target, Notification n, int attempts, String detail) {
        RolloutKey key = new RolloutKey(about.service(), about.environment());
        Map<String, Object> ev = new java.util.LinkedHashMap<>();
        ev.put("target", target.name());
        ev.put("kind", target.kind());
        ev.put("event", n.event());
        ev.put("attempts", attempts);
        ev.put("error", detail);
        try {
            for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
                RolloutState current = store.read(key).orElse(null);
                if (current == null || !current.id().equals(about.id())) return; // a newer rollout replaced it
                RolloutState same = current.atRevision(current.revision() + 1);
                RolloutEvent e = new RolloutEvent(same.revision(), same.id(), clock.instant(), EventType.NOTIFY_FAILED,
                        Actor.system("notify"), current.status(), current.status(), n.ring(), "could not notify "
                        + target.name() + " (" + target.kind() + ") of " + n.event() + (attempts == 0 ? "" : " after "
                        + attempts + " attempt" + (attempts == 1 ? "" : "s")) + ": " + detail + "; the rollout goes on", ev);
                try {
                    store.commit(key, current.revision(), same, List.of(e));
                } catch (ConflictException c) {
                    continue;
                }
                listener.event(e);
                return;
            }
        } catch (StoreException | RuntimeException e) {
            listener.output("could not journal a failed notification to " + target.name() + ": " + e.getMessage());
        }
    }

    private void closeProbes() {
        probes.values().forEach(GateProbe::close);
        probes.clear();
    }

    @Override
    public void close() {
        closeProbes();
        notifier.close();
    }
}
