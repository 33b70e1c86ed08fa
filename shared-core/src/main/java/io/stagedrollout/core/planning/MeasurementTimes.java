package io.stagedrollout.core.planning;

import io.stagedrollout.core.gate.BakeSchedule;
import io.stagedrollout.core.gate.GateKinds;
import io.stagedrollout.core.plan.Durations;
import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.Ring;
import io.stagedrollout.core.plan.RolloutPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * When the gates of a ring can see anything: a gate decides only when a measurement completes, the first at
 * {@code initialDelay} plus the time the measurement itself takes (a {@code metrics} gate or an OpenMetrics
 * {@code sequential} gate scrapes twice, {@code window} apart, default 5s), then one every {@code interval}
 * (BakeSchedule), while the ring bakes or until {@code count}. Times are from the start of the bake (the moment the
 * ring's deploy finished), on time, without errors or slow probes.
 */
public final class MeasurementTimes {
    private static final Duration DEFAULT_WINDOW = Duration.ofSeconds(5);

    private MeasurementTimes() {}

    /** The gates that count in the ring's verdict and measure something (not dry runs, not approvals). */
    static List<GateSpec> countedGates(RolloutPlan plan, Ring ring) {
        List<GateSpec> out = new ArrayList<>();
        for (String g : ring.gates()) {
            GateSpec spec = plan.gates().get(g);
            if (spec != null && !spec.dryRun() && !GateKinds.APPROVAL.equals(spec.kind())) out.add(spec);
        }
        return out;
    }

    /** How long a measurement of this gate takes from its start: the scrape window of the counter-based kinds. */
    public static Duration takes(GateSpec spec) {
        boolean scrapesTwice = "metrics".equals(spec.kind())
                || ("sequential".equals(spec.kind()) && !spec.settings().containsKey("prometheus"));
        if (!scrapesTwice) return Duration.ZERO;
        Object w = spec.settings().get("window");
        return w instanceof String text ? Durations.parse(text).orElse(DEFAULT_WINDOW) : DEFAULT_WINDOW;
    }

    /** When each measurement of the gate completes, in seconds from the start of the bake. */
    static List<Double> of(GateSpec spec, Duration bake) {
        int k = BakeSchedule.mostMeasurements(spec, bake, takes(spec));
        double first = (spec.initialDelay().toMillis() + takes(spec).toMillis()) / 1000.0;
        double every = spec.interval().toMillis() / 1000.0;
        List<Double> out = new ArrayList<>(Math.min(k, 100_000));
        for (int i = 0; i < k && i < 100_000; i++) out.add(first + i * every);
        return out;
    }

    /** Every instant at which some counted gate of the ring completes a measurement, sorted, in seconds. */
    static List<Double> ofRing(RolloutPlan plan, Ring ring, Duration bake) {
        TreeSet<Double> all = new TreeSet<>();
        for (GateSpec g : countedGates(plan, ring)) all.addAll(of(g, bake));
        return new ArrayList<>(all);
    }

    /**
     * Warnings for rings whose bake cannot produce enough measurements for a gate's {@code failureLimit} to be
     * exceeded: such a gate can never fail, whatever the canary does. Independent of the traffic.
     */
    public static List<String> cannotFail(RolloutPlan plan) {
        List<String> out = new ArrayList<>();
        for (Ring ring : plan.rings()) {
            for (GateSpec g : countedGates(plan, ring)) {
                int most = BakeSchedule.mostMeasurements(g, ring.bake(), takes(g));
                int needed = g.failureLimit() + 1;
                if (most >= needed) continue;
                String first = Durations.format(g.initialDelay().plus(takes(g)));
                Duration enough = g.initialDelay().plus(takes(g)).plus(g.interval().multipliedBy(g.failureLimit()));
                out.add("ring " + ring.name() + ": gate " + g.name() + " is measured at most " + most
                        + (most == 1 ? " time" : " times") + (g.count() != null ? " (count " + g.count() + ")"
                        : " in a " + Durations.format(ring.bake()) + " bake (the first measurement completes " + first
                        + " after the bake starts, then one every " + Durations.format(g.interval()) + ")")
                        + ", but failureLimit " + g.failureLimit() + " needs " + needed + " failed measurements: it can never fail; "
                        + (g.count() != null ? "raise count above failureLimit" : "bake at least " + Durations.format(enough))
                        + " or lower failureLimit");
            }
        }
        return out;
    }

    static boolean hasGates(RolloutPlan plan, Ring ring) {
        return countedGates(plan, ring).stream().anyMatch(Objects::nonNull);
    }
}
