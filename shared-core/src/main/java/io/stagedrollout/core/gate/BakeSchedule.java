package io.stagedrollout.core.gate;

import io.stagedrollout.core.plan.GateSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * When a gate is measured during a ring's bake: first at {@code bakeStart + initialDelay}, then every
 * {@code interval}; {@code count} times when count is set, otherwise while the bake lasts (at least once, so a
 * ring with {@code bake: 0s} is still measured once). A measurement is never due sooner than {@code interval}
 * after the previous one: a slow probe or a resumed process does not cause a burst of back-to-back measurements
 * that each see too little data.
 */
public final class BakeSchedule {
    private BakeSchedule() {}

    /** When the next measurement is due, or null when the gate has all its measurements. */
    public static Instant nextDue(GateSpec spec, Instant bakeStart, Duration bake, int taken, Instant lastAt) {
        Instant due = bakeStart.plus(spec.initialDelay()).plus(spec.interval().multipliedBy(taken));
        if (lastAt != null && lastAt.plus(spec.interval()).isAfter(due)) due = lastAt.plus(spec.interval());
        if (spec.count() != null) {
            return taken < spec.count() ? due : null;
        }
        if (taken == 0) return due;
        return due.isAfter(bakeStart.plus(bake)) ? null : due;
    }

    /** The earliest instant at which the ring can be concluded: the bake is over and every gate is done. */
    public static Instant concludeAt(Iterable<GateSpec> gates, Instant bakeStart, Duration bake) {
        Instant end = bakeStart.plus(bake);
        for (GateSpec g : gates) {
            if (g.count() != null) {
                Instant last = bakeStart.plus(g.initialDelay()).plus(g.interval().multipliedBy(Math.max(0, g.count() - 1)));
                if (last.isAfter(end)) end = last;
            } else if (g.initialDelay().compareTo(bake) > 0) {
                Instant first = bakeStart.plus(g.initialDelay());
                if (first.isAfter(end)) end = first;
            }
        }
        return end;
    }
}
