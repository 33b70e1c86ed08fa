package io.stagedrollout.core.machine;

import io.stagedrollout.core.gate.BakeSchedule;
import io.stagedrollout.core.gate.GateProgress;
import io.stagedrollout.core.gate.GateRules;
import io.stagedrollout.core.gate.GateVerdict;
import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.RingVerdict;
import io.stagedrollout.core.gate.Verdict;
import io.stagedrollout.core.machine.Command.Abort;
import io.stagedrollout.core.machine.Command.BeginRing;
import io.stagedrollout.core.machine.Command.Conclude;
import io.stagedrollout.core.machine.Command.Measured;
import io.stagedrollout.core.machine.Command.Promote;
import io.stagedrollout.core.machine.Command.RevertFinished;
import io.stagedrollout.core.machine.Command.RingDeployed;
import io.stagedrollout.core.machine.Command.Rollback;
import io.stagedrollout.core.machine.Command.Start;
import io.stagedrollout.core.machine.Decision.AlreadyDone;
import io.stagedrollout.core.machine.Decision.Applied;
import io.stagedrollout.core.machine.Decision.Refused;
import io.stagedrollout.core.machine.Decision.Refusal;
import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.OnVerdict;
import io.stagedrollout.core.plan.Approval;
import io.stagedrollout.core.plan.Ring;
import io.stagedrollout.core.policy.Closure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rollout state machine: a pure function of (state, command, now) to a {@link Decision}. No I/O, no clock of
 * its own; the shell commits what it returns and then runs the effects.
 *
 * <pre>
 * PENDING ─BeginRing(0)─▶ DEPLOYING ─RingDeployed(ok)─▶ BAKING ─Conclude/Measured─▶ verdict
 *   verdict PASS, auto      ─▶ PROMOTING ─BeginRing(i+1)─▶ DEPLOYING …   (last ring: COMPLETED)
 *   verdict PASS, manual    ─▶ AWAITING_APPROVAL ─Promote(ring)─▶ PROMOTING | COMPLETED
 *   verdict FAIL            ─▶ ROLLING_BACK (onFailure: revert) | AWAITING_APPROVAL (hold)
 *   verdict INCONCLUSIVE    ─▶ AWAITING_APPROVAL (onInconclusive: hold) | ROLLING_BACK (revert)
 * any active ─Rollback─▶ ROLLING_BACK ─RevertFinished─▶ ROLLED_BACK | FAILED;  COMPLETED ─Rollback─▶ ROLLING_BACK
 * any active but ROLLING_BACK ─Abort─▶ ABORTED
 * </pre>
 */
public final class RolloutMachine {
    public static final String HOLD_APPROVAL = "approval";
    public static final String HOLD_INCONCLUSIVE = "inconclusive";
    public static final String HOLD_FAILED = "failed";

    private RolloutMachine() {}

    public static Decision apply(RolloutState state, Command command, Instant now) {
        return apply(state, command, now, Target.ANY);
    }

    /**
     * As {@link #apply(RolloutState, Command, Instant)} for a command aimed at {@code target}: when the key's rollout
     * is not the one the command names (an old job, a pasted notice), it is refused as a CONFLICT and nothing changes.
     */
    public static Decision apply(RolloutState state, Command command, Instant now, Target target) {
        if (!(command instanceof Start) && !target.isAny() && !target.matches(state)) {
            return offTarget(state, target);
        }
        if (command instanceof Start c) return start(state, c, now);
        if (state == null) {
            return new Refused(null, Refusal.NOT_FOUND, "there is no rollout to act on; start one first");
        }
        if (command instanceof BeginRing c) return beginRing(state, c, now);
        if (command instanceof RingDeployed c) return ringDeployed(state, c, now);
        if (command instanceof Measured c) return measured(state, c, now);
        if (command instanceof Conclude c) return conclude(state, c, now);
        if (command instanceof Promote c) return promote(state, c, now);
        if (command instanceof Rollback c) return rollback(state, c, now);
        if (command instanceof RevertFinished c) return revertFinished(state, c, now);
        if (command instanceof Abort c) return abort(state, c, now);
        throw new IllegalArgumentException("unknown command " + command);
    }

    /** The refusal of a command aimed at another rollout than the key's current one; names both. */
    public static Refused offTarget(RolloutState s, Target target) {
        if (s == null) {
            return new Refused(null, Refusal.NOT_FOUND, "there is no rollout on this key, so not " + target.describe()
                    + " either; nothing was changed");
        }
        return new Refused(s, Refusal.CONFLICT, "this command is aimed at " + target.describe() + ", but " + s.key()
                + " is now rollout " + s.id() + " of version " + s.version() + " (" + where(s) + "); nothing was changed");
    }

    // ---- start ------------------------------------------------------------------------------------------------

    private static Decision start(RolloutState s, Start c, Instant now) {
        if (s != null && s.status().isActive()) {
            if (s.version().equals(c.version())) {
                return new AlreadyDone(s, "the rollout of " + s.version() + " is already under way (" + where(s) + ")");
            }
            return new Refused(s, Refusal.CONFLICT, "another rollout is active for " + s.key() + ": "
                    + s.version() + " (" + where(s) + "); promote, roll back or abort it first");
        }
        if (s != null && s.status() == Status.COMPLETED && s.version().equals(c.version())) {
            return new AlreadyDone(s, c.version() + " is already completed on " + s.key());
        }
        if (s != null && s.status().isTerminal() && s.version().equals(c.version()) && !c.retry()) {
            return new AlreadyDone(s, c.version() + " was already " + s.status().name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ') + " on " + s.key() + (s.reason() == null ? "" : " (" + s.reason() + ")")
                    + "; start it again with retry to roll it out anew");
        }
        String stable = c.stableVersion() != null ? c.stableVersion() : s == null ? null : s.lastGoodVersion();
        long rev = s == null ? 1 : s.revision() + 1;
        RolloutState n = new RolloutState(c.rolloutId(), c.plan().service(), c.plan().environment(), c.version(),
                stable, Status.PENDING, -1, rev, now, now, null, null, List.of(), null, null, null, c.plan());
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("version", c.version());
        ev.put("stableVersion", stable);
        ev.put("rings", c.plan().rings().stream().map(r -> r.name() + " " + r.exposure().describe()).toList());
        return applied(n, List.of(event(n, now, EventType.STARTED, c.actor(), s == null ? null : s.status(),
                "started rolling out " + c.version() + (stable == null ? "" : " (stable: " + stable + ")"), ev)));
    }

    // ---- deploying --------------------------------------------------------------------------------------------

    private static Decision beginRing(RolloutState s, BeginRing c, Instant now) {
        int i = c.ringIndex();
        if (i < 0 || i >= s.plan().rings().size()) {
            return new Refused(s, Refusal.INVALID, "there is no ring " + i + " in this plan");
        }
        String ring = s.plan().ring(i).name();
        if (s.status() == Status.COMPLETED) return new AlreadyDone(s, "the rollout is already completed");
        if (s.status().isTerminal() || s.status() == Status.ROLLING_BACK) {
            return new Refused(s, Refusal.CONFLICT, "the rollout of " + s.version() + " is " + s.status() + "; ring "
                    + ring + " cannot be deployed");
        }
        if (i < s.ringIndex() || (i == s.ringIndex() && s.status() != Status.PROMOTING)) {
            return new AlreadyDone(s, "ring " + ring + " is already deployed (" + where(s) + ")");
        }
        boolean next = (s.status() == Status.PENDING && i == 0) || (s.status() == Status.PROMOTING && i == s.ringIndex() + 1);
        if (!next) {
            if (i == s.ringIndex() + 1 && (s.status() == Status.BAKING || s.status() == Status.AWAITING_APPROVAL
                    || s.status() == Status.DEPLOYING)) {
                return new Refused(s, Refusal.NOT_YET, "ring " + s.ringName() + " has not been promoted yet (" + where(s) + ")");
            }
            return new Refused(s, Refusal.CONFLICT, "ring " + ring + " is not next (" + where(s) + ")");
        }
        java.util.Optional<Closure> closed = s.plan().calendar(i, c.freezes()).check(now);
        boolean override = c.overrideReason() != null && !c.overrideReason().isBlank();
        if (closed.isPresent() && !override) {
            return new Refused(s, Refusal.NOT_YET, "ring " + ring + " waits: " + closed.get().describe()
                    + " (deploy anyway with an override and a reason)");
        }
        RolloutState n = bump(s, now).with(Status.DEPLOYING, now).withRing(i, null, null, List.of(), null).withHold(null, s.reason());
        Ring r = s.plan().ring(i);
        List<RolloutEvent> events = new ArrayList<>();
        if (closed.isPresent()) {
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("overrode", closed.get().kind());
            if (closed.get().window() != null) ev.put("window", closed.get().window());
            if (closed.get().freeze() != null) ev.put("freeze", closed.get().freeze());
            if (closed.get().opensAt() != null) ev.put("opensAt", closed.get().opensAt().toString());
            ev.put("overrideReason", c.overrideReason());
            events.add(event(n, now, EventType.WINDOW_OVERRIDDEN, c.actor(), s.status(), c.actor().name() + " deployed ring "
                    + r.name() + " " + closed.get().describe() + "; override reason: " + c.overrideReason(), ev));
        }
        events.add(event(n, now, EventType.RING_DEPLOYING, c.actor(), s.status(),
                "deploying ring " + r.name() + " (" + (i + 1) + " of " + s.plan().rings().size() + ") at "
                        + r.exposure().describe(), Map.of("exposure", r.exposure().percent())));
        return new Applied(n, events, List.of(new Effect.DeployRing(i)));
    }

    private static Decision ringDeployed(RolloutState s, RingDeployed c, Instant now) {
        if (s.status() != Status.DEPLOYING || s.ringIndex() != c.ringIndex()) {
            if (s.ringIndex() >= c.ringIndex() && s.status() != Status.PENDING) {
                return new AlreadyDone(s, "ring " + s.plan().ring(c.ringIndex()).name() + " is past deploying (" + where(s) + ")");
            }
            return new Refused(s, Refusal.CONFLICT, "ring " + c.ringIndex() + " is not being deployed (" + where(s) + ")");
        }
        Ring r = s.ring();
        Map<String, Object> ev = new LinkedHashMap<>();
        if (c.detail() != null) ev.put("detail", c.detail());
        if (c.actualPercent() != null) ev.put("actualPercent", c.actualPercent());
        if (!c.ok()) {
            RingVerdict v = new RingVerdict(r.name(), Verdict.FAIL, List.of(), "deploy of ring " + r.name() + " failed: " + c.detail());
            List<RolloutEvent> events = new ArrayList<>();
            RolloutState n = bump(s, now).withVerdict(v);
            events.add(event(n, now, EventType.DEPLOY_FAILED, c.actor(), s.status(), v.reason(), ev));
            return decide(n, s.status(), v, r.onFailure(), HOLD_FAILED, now, events, c.actor());
        }
        List<GateProgress> gates = r.gates().stream().map(GateProgress::start).toList();
        RolloutState n = bump(s, now).with(Status.BAKING, now)
                .withRing(s.ringIndex(), now, now.plus(r.bake()), gates, null);
        String actual = c.actualPercent() == null ? "" : " (actual exposure " + GateRules.number(c.actualPercent()) + "%)";
        return applied(n, List.of(event(n, now, EventType.RING_DEPLOYED, c.actor(), s.status(), "ring " + r.name()
                + " deployed" + actual + "; baking " + io.stagedrollout.core.plan.Durations.format(r.bake())
                + (gates.isEmpty() ? "" : " with gates " + String.join(", ", r.gates())), ev)));
    }

    // ---- baking -----------------------------------------------------------------------------------------------

    private static Decision measured(RolloutState s, Measured c, Instant now) {
        Measurement m = c.measurement();
        if (s.status() != Status.BAKING || s.ringIndex() != c.ringIndex()) {
            return new AlreadyDone(s, "ring " + c.ringIndex() + " is no longer baking; measurement of " + m.gate() + " not counted");
        }
        int gi = gateIndex(s, m.gate());
        if (gi < 0) {
            return new Refused(s, Refusal.INVALID, "ring " + s.ringName() + " has no gate " + m.gate());
        }
        GateSpec spec = s.plan().gates().get(m.gate());
        GateProgress before = s.gates().get(gi);
        if (BakeSchedule.nextDue(spec, s.bakeStartedAt(), s.ring().bake(), before.measurements(), lastAt(before)) == null) {
            return new AlreadyDone(s, m.gate() + " already has all its measurements");
        }
        List<GateProgress> gates = new ArrayList<>(s.gates());
        gates.set(gi, before.with(m));
        RolloutState n = bump(s, now).withGates(gates);
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("gate", m.gate());
        ev.put("outcome", m.outcome().name());
        ev.put("value", m.value());
        ev.put("measuredAt", m.at().toString());
        ev.put("dryRun", spec.dryRun());
        if (!m.data().isEmpty()) ev.put("data", m.data());
        List<RolloutEvent> events = new ArrayList<>();
        events.add(event(n, now, EventType.MEASURED, c.actor(), s.status(), m.gate() + " " + m.outcome() + ": " + m.summary(), ev));
        // Decide early when a counted gate has already exceeded a limit: waiting out the bake only exposes more users.
        List<GateVerdict> early = verdicts(n, false);
        if (early.stream().anyMatch(v -> v != null && !v.dryRun() && v.verdict() != Verdict.PASS)) {
            return concludeWith(n, s.status(), verdicts(n, true), now, events, c.actor());
        }
        if (allDone(n) && !now.isBefore(concludeAt(n))) {
            return concludeWith(n, s.status(), verdicts(n, true), now, events, c.actor());
        }
        return applied(n, events);
    }

    private static Decision conclude(RolloutState s, Conclude c, Instant now) {
        if (s.status() != Status.BAKING || s.ringIndex() != c.ringIndex()) {
            return new AlreadyDone(s, "ring " + c.ringIndex() + " is already concluded (" + where(s) + ")");
        }
        Instant at = concludeAt(s);
        if (now.isBefore(at)) {
            return new Refused(s, Refusal.NOT_YET, "ring " + s.ringName() + " bakes until " + at);
        }
        if (!countsDone(s)) {
            return new Refused(s, Refusal.NOT_YET, "ring " + s.ringName() + " still has counted measurements to take");
        }
        return concludeWith(bump(s, now), s.status(), verdicts(s, true), now, new ArrayList<>(), c.actor());
    }

    private static Decision concludeWith(RolloutState n, Status from, List<GateVerdict> gateVerdicts, Instant now,
            List<RolloutEvent> events, Actor actor) {
        RingVerdict v = RingVerdict.of(n.ringName(), gateVerdicts);
        RolloutState withVerdict = n.withVerdict(v);
        String type = switch (v.verdict()) {
            case PASS -> EventType.RING_PASSED;
            case FAIL -> EventType.RING_FAILED;
            case INCONCLUSIVE -> EventType.RING_INCONCLUSIVE;
        };
        events.add(event(withVerdict, now, type, actor, from, "ring " + n.ringName() + " " + v.verdict() + ": " + v.reason(),
                Map.of("verdict", v.verdict().name(), "gates", gateEvidence(v))));
        Ring r = n.ring();
        return switch (v.verdict()) {
            case PASS -> pass(withVerdict, from, now, events, actor);
            case FAIL -> decide(withVerdict, from, v, r.onFailure(), HOLD_FAILED, now, events, actor);
            case INCONCLUSIVE -> decide(withVerdict, from, v, r.onInconclusive(), HOLD_INCONCLUSIVE, now, events, actor);
        };
    }

    private static List<Map<String, Object>> gateEvidence(RingVerdict v) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (GateVerdict g : v.gates()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("gate", g.gate());
            m.put("verdict", g.verdict().name());
            m.put("dryRun", g.dryRun());
            m.put("reason", g.reason());
            m.put("measurements", g.progress().measurements());
            out.add(m);
        }
        return out;
    }

    private static Decision pass(RolloutState n, Status from, Instant now, List<RolloutEvent> events, Actor actor) {
        Ring r = n.ring();
        if (r.approval() == Approval.MANUAL) {
            RolloutState w = n.with(Status.AWAITING_APPROVAL, now).withHold(HOLD_APPROVAL, n.verdict().reason());
            events.add(event(w, now, EventType.AWAITING_APPROVAL, actor, from, "ring " + r.name()
                    + " passed and waits for a person to promote it", Map.of("hold", HOLD_APPROVAL)));
            return applied(w, events);
        }
        return promoted(n, from, now, events, actor, "promoted automatically: ring " + r.name() + " passed its gates", Map.of());
    }

    private static Decision promoted(RolloutState n, Status from, Instant now, List<RolloutEvent> events, Actor actor,
            String reason, Map<String, Object> ev) {
        if (n.isLastRing()) {
            RolloutState done = n.with(Status.COMPLETED, now).withHold(null, reason);
            events.add(event(done, now, EventType.PROMOTED, actor, from, reason, ev));
            events.add(event(done, now, EventType.COMPLETED, actor, from, "rollout of " + n.version()
                    + " completed; it is now the stable version", Map.of()));
            return applied(done, events);
        }
        RolloutState p = n.with(Status.PROMOTING, now).withHold(null, reason);
        events.add(event(p, now, EventType.PROMOTED, actor, from, reason + "; next ring "
                + n.plan().ring(n.ringIndex() + 1).name(), ev));
        return applied(p, events);
    }

    /** A FAIL or INCONCLUSIVE verdict: revert, or hold for a person, as the ring says. */
    private static Decision decide(RolloutState n, Status from, RingVerdict v, OnVerdict policy, String hold,
            Instant now, List<RolloutEvent> events, Actor actor) {
        if (policy == OnVerdict.REVERT) {
            RolloutState rb = n.with(Status.ROLLING_BACK, now).withHold(null, v.reason());
            events.add(event(rb, now, EventType.ROLLBACK_STARTED, actor, from, "rolling back to "
                    + (n.stableVersion() == null ? "the stable version" : n.stableVersion()) + ": " + v.reason(), Map.of()));
            return new Applied(rb, events, List.of(new Effect.Revert(v.reason())));
        }
        RolloutState w = n.with(Status.AWAITING_APPROVAL, now).withHold(hold, v.reason());
        events.add(event(w, now, EventType.AWAITING_APPROVAL, actor, from, "ring " + n.ringName() + " is held ("
                + hold + "): a person must promote or roll back", Map.of("hold", hold)));
        return applied(w, events);
    }

    // ---- people -----------------------------------------------------------------------------------------------

    private static Decision promote(RolloutState s, Promote c, Instant now) {
        int target = c.ring() == null ? s.ringIndex() : s.plan().ringIndex(c.ring());
        if (c.ring() != null && target < 0) {
            return new Refused(s, Refusal.INVALID, "there is no ring '" + c.ring() + "' in this rollout's plan (rings: "
                    + String.join(", ", s.plan().rings().stream().map(Ring::name).toList()) + ")");
        }
        if (s.status() == Status.COMPLETED) return new AlreadyDone(s, "the rollout of " + s.version() + " is already completed");
        if (s.status().isTerminal() || s.status() == Status.ROLLING_BACK) {
            return new Refused(s, Refusal.CONFLICT, "the rollout of " + s.version() + " is " + s.status() + "; nothing to promote");
        }
        if (target < 0) {
            return new Refused(s, Refusal.NOT_YET, "no ring has been deployed yet; nothing to promote");
        }
        String ring = s.plan().ring(target).name();
        if (target < s.ringIndex() || (target == s.ringIndex() && s.status() == Status.PROMOTING)) {
            return new AlreadyDone(s, "ring " + ring + " was already promoted (" + where(s) + ")");
        }
        if (target > s.ringIndex()) {
            return new Refused(s, Refusal.CONFLICT, "ring " + ring + " is not the current ring (" + where(s) + ")");
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        if (c.reason() != null) ev.put("note", c.reason());
        switch (s.status()) {
            case AWAITING_APPROVAL -> {
                if (!HOLD_APPROVAL.equals(s.hold())) ev.put("overrode", s.hold());
            }
            case BAKING, DEPLOYING, PENDING -> {
                if (!c.force()) {
                    return new Refused(s, Refusal.NOT_YET, "ring " + ring + " is still " + s.status().name().toLowerCase()
                            + (s.bakeEndsAt() == null ? "" : " until " + s.bakeEndsAt())
                            + "; promote with force to skip the rest of its bake");
                }
                ev.put("overrode", "bake");
            }
            default -> throw new AssertionError(s.status());
        }
        String why = "promoted by " + c.actor().name() + (ev.containsKey("overrode") ? " (override: " + ev.get("overrode") + ")" : "");
        return promoted(bump(s, now), s.status(), now, new ArrayList<>(), c.actor(), why, ev);
    }

    private static Decision rollback(RolloutState s, Rollback c, Instant now) {
        if (s.status() == Status.ROLLING_BACK || s.status() == Status.ROLLED_BACK) {
            return new AlreadyDone(s, "the rollout of " + s.version() + " is already " + s.status().name().toLowerCase().replace('_', ' '));
        }
        if (s.status() == Status.COMPLETED && s.stableVersion() == null) {
            return new Refused(s, Refusal.CONFLICT, s.version() + " is completed and no earlier good version is known to roll back to");
        }
        RolloutState rb = bump(s, now).with(Status.ROLLING_BACK, now).withHold(null, c.reason());
        return new Applied(rb, List.of(event(rb, now, EventType.ROLLBACK_STARTED, c.actor(), s.status(),
                "rollback requested by " + c.actor().name() + ": " + c.reason(), Map.of())),
                List.of(new Effect.Revert(c.reason())));
    }

    private static Decision revertFinished(RolloutState s, RevertFinished c, Instant now) {
        if (s.status() != Status.ROLLING_BACK) {
            return new AlreadyDone(s, "no revert is in progress (" + where(s) + ")");
        }
        Map<String, Object> ev = c.detail() == null ? Map.of() : Map.of("detail", c.detail());
        if (c.ok()) {
            RolloutState n = bump(s, now).with(Status.ROLLED_BACK, now);
            return applied(n, List.of(event(n, now, EventType.ROLLED_BACK, c.actor(), s.status(), "rolled back to "
                    + (s.stableVersion() == null ? "the stable version" : s.stableVersion()) + "; reason: " + s.reason(), ev)));
        }
        RolloutState n = bump(s, now).with(Status.FAILED, now).withHold(null, "revert failed: " + c.detail());
        return applied(n, List.of(event(n, now, EventType.REVERT_FAILED, c.actor(), s.status(),
                "the revert failed and needs a person: " + c.detail(), ev)));
    }

    private static Decision abort(RolloutState s, Abort c, Instant now) {
        if (s.status() == Status.ABORTED) return new AlreadyDone(s, "the rollout is already aborted");
        if (s.status().isTerminal()) {
            return new Refused(s, Refusal.CONFLICT, "the rollout is already " + s.status() + "; nothing to abort");
        }
        if (s.status() == Status.ROLLING_BACK) {
            return new Refused(s, Refusal.CONFLICT, "a rollback is in progress; it cannot be aborted");
        }
        RolloutState n = bump(s, now).with(Status.ABORTED, now).withHold(null, c.reason());
        return applied(n, List.of(event(n, now, EventType.ABORTED, c.actor(), s.status(), "aborted by "
                + c.actor().name() + " where it stood (" + where(s) + "), no revert: " + c.reason(), Map.of())));
    }

    // ---- helpers shared with the shell ------------------------------------------------------------------------

    /** The gate verdicts of the current ring; with {@code finished=false} undecided gates are null. */
    public static List<GateVerdict> verdicts(RolloutState s, boolean finished) {
        List<GateVerdict> out = new ArrayList<>();
        for (GateProgress p : s.gates()) {
            GateSpec spec = s.plan().gates().get(p.gate());
            boolean done = finished || BakeSchedule.nextDue(spec, s.bakeStartedAt(), s.ring().bake(), p.measurements(), lastAt(p)) == null;
            out.add(GateRules.evaluate(spec, p, done));
        }
        return out;
    }

    /**
     * Why the next ring may not be deployed now (PENDING or PROMOTING only; a ring that is deploying or baking
     * finishes, and rollbacks are never held), or empty.
     */
    public static java.util.Optional<Closure> waitingFor(RolloutState s, Instant now, List<io.stagedrollout.core.policy.Freeze> extraFreezes) {
        if (s.status() != Status.PENDING && s.status() != Status.PROMOTING) return java.util.Optional.empty();
        int next = s.ringIndex() + 1;
        if (next >= s.plan().rings().size()) return java.util.Optional.empty();
        return s.plan().calendar(next, extraFreezes).check(now);
    }

    /** When the current ring's bake can be concluded. */
    public static Instant concludeAt(RolloutState s) {
        return BakeSchedule.concludeAt(s.ring().gates().stream().map(g -> s.plan().gates().get(g)).toList(),
                s.bakeStartedAt(), s.ring().bake());
    }

    /** The next instant a gate of the current ring is due, or null when none is. */
    public static Instant nextMeasurementDue(RolloutState s) {
        Instant next = null;
        for (GateProgress p : s.gates()) {
            Instant due = BakeSchedule.nextDue(s.plan().gates().get(p.gate()), s.bakeStartedAt(), s.ring().bake(), p.measurements(), lastAt(p));
            if (due != null && (next == null || due.isBefore(next))) next = due;
        }
        return next;
    }

    private static Instant lastAt(GateProgress p) {
        return p.last() == null ? null : p.last().at();
    }

    private static boolean allDone(RolloutState s) {
        return nextMeasurementDue(s) == null;
    }

    private static boolean countsDone(RolloutState s) {
        for (GateProgress p : s.gates()) {
            GateSpec spec = s.plan().gates().get(p.gate());
            if (spec.count() != null && p.measurements() < spec.count()) return false;
        }
        return true;
    }

    private static int gateIndex(RolloutState s, String gate) {
        for (int i = 0; i < s.gates().size(); i++) {
            if (s.gates().get(i).gate().equals(gate)) return i;
        }
        return -1;
    }

    private static String where(RolloutState s) {
        return s.ringIndex() < 0 ? s.status().name() : "ring " + s.ringName() + ", " + s.status().name();
    }

    private static RolloutState bump(RolloutState s, Instant now) {
        return s.atRevision(s.revision() + 1).with(s.status(), now);
    }

    private static Applied applied(RolloutState n, List<RolloutEvent> events) {
        return new Applied(n, events, List.of());
    }

    private static RolloutEvent event(RolloutState n, Instant now, String type, Actor actor, Status from, String reason,
            Map<String, Object> evidence) {
        return new RolloutEvent(n.revision(), n.id(), now, type, actor, from, n.status(), n.ringName(), reason, evidence);
    }
}
