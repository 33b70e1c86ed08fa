package io.stagedrollout.cli.replay;

import io.stagedrollout.core.gate.BakeSchedule;
import io.stagedrollout.core.gate.GateProgress;
import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.Outcome;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.Command;
import io.stagedrollout.core.machine.Decision;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutMachine;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.policy.Closure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a plan through the real {@link RolloutMachine} on a simulated clock, feeding each gate the recorded sample
 * it would have seen when it was due, and collects the journal the rollout would have written. Deploys and reverts
 * are taken to succeed at once; a ring waiting for approval is promoted {@code approveAfter} later (the replay
 * says so); a ring held on a failed or inconclusive verdict ends the replay, as it would wait for a person. No
 * store, no action, no probe is touched.
 */
public final class Replay {
    private static final Actor REPLAY = new Actor("replay", "replay", null);
    private static final int MAX_STEPS = 1_000_000;

    /** What the rollout would have done: its journal, where it came to rest, and why the replay stopped there. */
    public record Result(List<RolloutEvent> events, RolloutState state, String ending) {}

    private Replay() {}

    public static Result run(RolloutPlan plan, Recording recording, Instant start, Duration approveAfter) {
        List<RolloutEvent> journal = new ArrayList<>();
        Instant now = start;
        RolloutState s = apply(null, new Command.Start(plan, "replay", null, "replay", REPLAY), now, journal);
        for (int step = 0; step < MAX_STEPS; step++) {
            switch (s.status()) {
                case PENDING, PROMOTING -> {
                    int next = s.ringIndex() + 1;
                    Decision d = RolloutMachine.apply(s, new Command.BeginRing(next, REPLAY), now);
                    if (d instanceof Decision.Applied a) {
                        s = commit(a, journal);
                    } else {
                        Optional<Closure> closed = RolloutMachine.waitingFor(s, now, List.of());
                        if (closed.isEmpty() || closed.get().opensAt() == null) {
                            return new Result(journal, s, "stopped: " + message(d));
                        }
                        journal.add(note(s, now, "WAITING", "ring " + plan.ring(next).name() + " waits: " + closed.get().describe()));
                        now = closed.get().opensAt();
                    }
                }
                case DEPLOYING -> s = apply(s, new Command.RingDeployed(s.ringIndex(), true, "replay: deploy assumed done", null, REPLAY), now, journal);
                case BAKING -> {
                    Instant due = RolloutMachine.nextMeasurementDue(s);
                    Instant conclude = RolloutMachine.concludeAt(s);
                    if (due != null && !due.isAfter(conclude) || due != null && !countsDone(s)) {
                        now = max(now, due);
                        s = measureDue(s, recording, now, journal);
                    } else {
                        now = max(now, conclude);
                        s = apply(s, new Command.Conclude(s.ringIndex(), REPLAY), now, journal);
                    }
                }
                case AWAITING_APPROVAL -> {
                    if (!RolloutMachine.HOLD_APPROVAL.equals(s.hold())) {
                        return new Result(journal, s, "held (" + s.hold() + "): a person would have to promote or roll back");
                    }
                    now = now.plus(approveAfter);
                    Actor person = new Actor("a person (replay assumes approval after "
                            + io.stagedrollout.core.plan.Durations.format(approveAfter) + ")", "replay", null);
                    s = apply(s, new Command.Promote(s.ringName(), false, null, person), now, journal);
                }
                case ROLLING_BACK -> s = apply(s, new Command.RevertFinished(true, "replay: revert assumed done", REPLAY), now, journal);
                default -> {
                    return new Result(journal, s, s.status().name().toLowerCase().replace('_', ' '));
                }
            }
        }
        throw new IllegalStateException("the replay did not come to rest within " + MAX_STEPS + " steps");
    }

    private static RolloutState measureDue(RolloutState s, Recording recording, Instant now, List<RolloutEvent> journal) {
        int ring = s.ringIndex();
        for (GateProgress p : s.gates()) {
            GateSpec spec = s.plan().gates().get(p.gate());
            Instant due = BakeSchedule.nextDue(spec, s.bakeStartedAt(), s.ring().bake(), p);
            if (due == null || due.isAfter(now)) continue;
            Recording.Sample sample = recording.at(spec.name(), now, spec.interval());
            Measurement m = sample == null
                    ? Measurement.of(spec.name(), now, Outcome.INCONCLUSIVE, null, "no recorded measurement of " + spec.name()
                            + " in the " + io.stagedrollout.core.plan.Durations.format(spec.interval()) + " before " + now)
                    : Measurement.of(spec.name(), now, sample.outcome(), sample.value(), sample.summary() + " (recorded at " + sample.time() + ")");
            s = apply(s, new Command.Measured(ring, m, REPLAY), now, journal);
            if (s.status() != Status.BAKING || s.ringIndex() != ring) return s;
        }
        return s;
    }

    private static boolean countsDone(RolloutState s) {
        for (GateProgress p : s.gates()) {
            if (!BakeSchedule.countReached(s.plan().gates().get(p.gate()), p)) return false;
        }
        return true;
    }

    private static RolloutState apply(RolloutState s, Command c, Instant now, List<RolloutEvent> journal) {
        Decision d = RolloutMachine.apply(s, c, now);
        if (d instanceof Decision.Applied a) return commit(a, journal);
        if (d instanceof Decision.AlreadyDone done) return done.state();
        throw new IllegalStateException("the machine refused " + c.getClass().getSimpleName() + " at " + now + ": " + message(d));
    }

    private static RolloutState commit(Decision.Applied a, List<RolloutEvent> journal) {
        journal.addAll(a.events());
        return a.state();
    }

    private static RolloutEvent note(RolloutState s, Instant at, String type, String reason) {
        return new RolloutEvent(s.revision(), s.id(), at, type, REPLAY, s.status(), s.status(), s.ringName(), reason, null);
    }

    private static String message(Decision d) {
        return d instanceof Decision.Refused r ? r.message() : d instanceof Decision.AlreadyDone a ? a.message() : d.toString();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
