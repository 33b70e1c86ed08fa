package io.stagedrollout.core.gate;

import io.stagedrollout.core.plan.GateSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * When a gate is measured during a ring's bake: first at {@code bakeStart + initialDelay}, then every
 * {@code interval}; until {@code count} real measurements are taken when count is set, otherwise while the bake lasts
 * (at least once, so a ring with {@code bake: 0s} is still measured once). As in Argo Rollouts, an ERROR measurement
 * uses up its time slot but does not count toward {@code count}: a gate with {@code count: 3} measures until it has
 * three real measurements, or until {@code consecutiveErrorLimit} stops it. A measurement is never due sooner than
 * {@code interval} after the previous one: a slow probe or a resumed process does not cause a burst of
 * back-to-back measurements that each see too little data.
 */
public final class BakeSchedule {
    private BakeSchedule() {}

    /** When the next measurement of this gate is due, or null when the gate has all its measurements. */
    public static Instant nextDue(GateSpec spec, Instant bakeStart, Duration bake, GateProgress p) {
        int taken = p.measurements();
        Instant lastAt = p.last() == null ? null : p.last().at();
        Instant due = bakeStart.plus(spec.initialDelay()).plus(spec.interval().multipliedBy(taken));
        if (lastAt != null && lastAt.plus(spec.interval()).isAfter(due)) due = lastAt.plus(spec.interval());
        if (spec.count() != null) {
            return countReached(spec, p) ? null : due;
        }
        if (taken == 0) return due;
        return due.isAfter(bakeStart.plus(bake)) ? null : due;
    }

    /** Measurements that are not ERROR: the ones that count toward {@code count}. */
    public static int realMeasurements(GateProgress p) {
        return p.measurements() - p.errors();
    }

    /** Whether a gate with {@code count} has that many real measurements (always true without count). */
    public static boolean countReached(GateSpec spec, GateProgress p) {
        return spec.count() == null || realMeasurements(p) >= spec.count();
    }

    /**
     * The most measurements a gate can take in a bake of this length when every one is on time (no errors, no slow
     * probe), and {@code firstTakes} is how long a measurement takes after it starts (the scrape window of a counter
     * gate): used by {@code rollout plan} to warn when a bake cannot produce enough measurements to fail.
     */
    public static int mostMeasurements(GateSpec spec, Duration bake, Duration firstTakes) {
        if (spec.count() != null) return spec.count();
        // the first starts at initialDelay and ends firstTakes later; each next is due an interval after the previous
        Duration firstEnds = spec.initialDelay().plus(firstTakes);
        if (firstEnds.compareTo(bake) >= 0) return 1;
        long more = bake.minus(firstEnds).toMillis() / Math.max(1, spec.interval().toMillis());
        return (int) Math.min(Integer.MAX_VALUE, 1 + more);
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
