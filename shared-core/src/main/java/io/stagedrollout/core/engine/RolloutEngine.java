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
import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.RolloutStore.ConflictException;
import io.stagedrollout.core.store.RolloutStore.StoreException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The imperative shell around {@link RolloutMachine}: read the state, ask the machine, commit with compare-and-set
 * (re-deciding on a conflict), then run the effects — deploy and revert actions — and feed their results back.
 * Every adapter (CLI, Jenkins, GitLab, GitHub) drives rollouts through this class.
 *
 * <p>Two ways to bake: {@link #tick} does whatever is due now and returns when to call again (Jenkins schedules it
 * on a timer and holds no thread); {@link #advance} and {@link #run} block, sleeping between ticks (the CLI).
 * Deploys and reverts are external when the plan defines no action for them (a Jenkins step's body deploys), or
 * when the caller says so.
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
    private static final Duration NOTIFY_DRAIN = Duration.ofSeconds(30);

    private final RolloutStore store;
    private final Runtime runtime;
    private final Clock clock;
    private final Sleeper sleeper;
    private final EngineListener listener;
    private final Map<String, GateProbe> probes = new HashMap<>();
    private final Notifier notifier;
    private volatile List<Freeze> hostFreezes = List.of();

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
                actions == null || actions.http() == null ? java.net.http.HttpClient.newHttpClient() : actions.http(),
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
        return transact(key, Target.ANY, s -> new Command.Start(plan, version, stableVersion, id, retry, actor));
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
        return transactAndRun(key, target, s -> new Command.BeginRing(ringIndex, actor, hostFreezes, overrideWindowReason),
                runDeployAction, actor);
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
        return transactAndRun(key, target, s -> new Command.Rollback(reason, actor), runRevertAction, actor);
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

    /** As {@link #tick(RolloutKey, Actor)}, only for {@code target}; a newer rollout on the key is a CONFLICT. */
    public Tick tick(RolloutKey key, Target target, Actor actor) throws StoreException, InterruptedException {
        Optional<RolloutState> read = store.read(key);
        if (read.isEmpty()) return new Tick(new EngineResult(Kind.NOT_FOUND, null, "no rollout " + key), null);
        RolloutState s = read.get();
        if (!target.matches(s)) return new Tick(offTarget(key, s, target), null);
        target = bound(target, s);
        if (s.status() != Status.BAKING) return new Tick(settled(s), null);
        Instant now = clock.instant();
        for (GateProgress p : s.gates()) {
            GateSpec spec = s.plan().gates().get(p.gate());
            Instant due = BakeSchedule.nextDue(spec, s.bakeStartedAt(), s.ring().bake(), p.measurements(), lastAt(p));
            if (due == null || due.isAfter(now)) continue;
            Measurement m = measure(s, spec, p);
            final int ring = s.ringIndex();
            EngineResult r = transactAndRun(key, target, st -> new Command.Measured(ring, m, actor), true, actor);
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

    private static Instant lastAt(GateProgress p) {
        return p.last() == null ? null : p.last().at();
    }

    private static boolean countsDone(RolloutState s) {
        for (GateProgress p : s.gates()) {
            Integer count = s.plan().gates().get(p.gate()).count();
            if (count != null && p.measurements() < count) return false;
        }
        return true;
    }

    private Measurement measure(RolloutState s, GateSpec spec, GateProgress p) throws InterruptedException {
        String probeKey = s.id() + "/" + s.ringIndex() + "/" + spec.name();
        GateProbe probe = probes.computeIfAbsent(probeKey, k -> GateKinds.find(spec.kind())
                .orElseThrow(() -> new IllegalStateException("gate kind " + spec.kind() + " is not available in this build"))
                .open(spec, runtime.gates()));
        MeasureContext ctx = new MeasureContext(RolloutVariables.forRing(s, s.ringIndex()), s.bakeStartedAt(),
                clock.instant(), p.last() == null ? List.of() : List.of(p.last()));
        try {
            return probe.measure(ctx);
        } catch (RuntimeException e) {
            // a probe bug must not pass a gate: it is broken data
            return Measurement.error(spec.name(), clock.instant(), "the " + spec.kind() + " probe failed: " + e);
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
        if (target.rolloutId() == null) {
            Optional<RolloutState> first = store.read(key);
            if (first.isEmpty()) return new EngineResult(Kind.NOT_FOUND, null, "no rollout " + key + "; start one first");
            if (!target.matches(first.get())) return offTarget(key, first.get(), target);
            target = bound(target, first.get());
        }
        while (true) {
            EngineResult r = advance(key, target, actor, null);
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
                sleeper.sleep(POLL_EVERY); // someone else is deploying; look again
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
            sleeper.sleep(left.compareTo(WINDOW_POLL_EVERY) < 0 ? left : WINDOW_POLL_EVERY);
            RolloutState current = store.read(key).orElse(waiting);
            if (current.revision() != waiting.revision()) return;
        }
    }

    /** Waits while the rollout waits for a person, until someone promotes, rolls back or aborts it. */
    public RolloutState awaitChange(RolloutKey key, RolloutState waiting) throws StoreException, InterruptedException {
        while (true) {
            listener.progress(waiting, clock.instant());
            sleeper.sleep(POLL_EVERY);
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
                sleeper.sleep(left.compareTo(PROGRESS_EVERY) < 0 ? left : PROGRESS_EVERY);
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

    private Committed commit(RolloutKey key, Target target, Function<RolloutState, Command> command) throws StoreException {
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            RolloutState current = store.read(key).orElse(null);
            Decision d = RolloutMachine.apply(current, command.apply(current), clock.instant(), target);
            if (d instanceof Decision.Applied a) {
                try {
                    store.commit(key, current == null ? 0 : current.revision(), a.state(), a.events());
                } catch (ConflictException e) {
                    continue; // someone else committed first: decide again on what they wrote
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
                String name = s.plan().ring(d.ringIndex()).deploy();
                ActionSpec spec = s.plan().actions().get(name);
                if (spec == null) continue; // deployed by the caller (e.g. a Jenkins step body)
                ActionResult r = runAction(spec, Operation.DEPLOY, RolloutVariables.forRing(s, d.ringIndex()));
                last = commit(key, target, st -> new Command.RingDeployed(d.ringIndex(), r.ok(), r.detail(), r.actualPercent(), actor)).result;
                if (last.state() != null && target.matches(last.state()) && last.state().status() == Status.ROLLING_BACK) {
                    EngineResult rb = runEffects(key, target, last.state(), List.of(new Effect.Revert(last.state().reason())), true, actor);
                    if (rb != null) last = rb;
                }
            } else if (e instanceof Effect.Revert) {
                ActionSpec spec = s.plan().actions().get(RolloutPlan.DEFAULT_REVERT);
                if (spec == null) continue; // reverted by the caller (a rollback step's body)
                ActionResult r = runAction(spec, Operation.REVERT, RolloutVariables.forRevert(s));
                last = commit(key, target, st -> new Command.RevertFinished(r.ok(), r.detail(), actor)).result;
            }
        }
        return last;
    }

    private ActionResult runAction(ActionSpec spec, Operation op, Map<String, String> variables) throws InterruptedException {
        Action action = ActionKinds.find(spec.kind())
                .orElseThrow(() -> new IllegalStateException("action kind " + spec.kind() + " is not available in this build"))
                .open(spec, runtime.actions());
        listener.output((op == Operation.DEPLOY ? "deploy" : "revert") + ": running action '" + spec.name() + "' ("
                + spec.kind() + ") for " + variables.get("ROLLOUT_RING") + " at " + variables.get("ROLLOUT_PERCENT") + "%");
        try {
            return action.run(new ActionRequest(op, variables, line -> listener.output("  | " + line)));
        } catch (RuntimeException e) {
            return ActionResult.failed("action '" + spec.name() + "' failed: " + e);
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
