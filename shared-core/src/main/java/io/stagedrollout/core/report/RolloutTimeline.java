package io.stagedrollout.core.report;

import io.stagedrollout.core.gate.GateProgress;
import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.Durations;
import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.Ring;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the JUnit, Markdown and HTML reports show, rebuilt from a rollout's state and its journal: each ring with
 * its deploy, its gates' measurements and verdicts, and the exposure over time. Only the journal's events of this
 * rollout (same id) are used; the journal is the evidence, the state adds the plan and the current ring's tallies.
 */
public record RolloutTimeline(
        RolloutState state,
        Instant startedAt,
        Instant endedAt,
        List<RingRun> rings,
        List<ExposurePoint> exposure,
        List<RolloutEvent> events) {

    /**
     * A ring as planned and as it went. {@code state}: done, failed, current, pending, or stopped (deployed, then the
     * rollout was rolled back or aborted before the ring was judged). {@code override} is set when a person promoted
     * the ring over its bake or its verdict: {@code bake} (before the bake ended, so its gates were not decided),
     * {@code inconclusive} or {@code failed}; {@code promotedBy} names who promoted it then.
     */
    public record RingRun(int index, String name, double plannedPercent, Double actualPercent, String bake,
            Instant deployingAt, Instant deployedAt, Instant concludedAt, String verdict, String reason,
            String deployFailure, String state, List<GateRun> gates, String override, String promotedBy) {
        /** Promoted before its bake ended: its gates never reached a verdict. */
        public boolean promotedEarly() {
            return "bake".equals(override);
        }
    }

    /**
     * One gate in one ring: its measurements, its verdict (null while undecided or never reached) and the thresholds
     * its values are judged against (empty when the kind has none).
     */
    public record GateRun(String gate, String kind, boolean dryRun, String verdict, String reason,
            List<Point> measurements, List<Threshold> thresholds, String valueLabel) {
        public long count(String outcome) {
            return measurements.stream().filter(p -> outcome.equals(p.outcome())).count();
        }
    }

    public record Point(Instant at, String outcome, Double value, String summary) {}

    /** A line a gate's values are judged against; {@code severity}: fail (beyond it fails), marginal, pass. */
    public record Threshold(String name, double value, String severity) {}

    /** The exposure of the new version from {@code at} on, in percent. */
    public record ExposurePoint(Instant at, double percent, String label) {}

    public static RolloutTimeline of(RolloutState state, List<RolloutEvent> journal) {
        List<RolloutEvent> events = journal.stream().filter(e -> state.id().equals(e.rolloutId())).toList();
        List<Ring> planRings = state.plan().rings();
        List<Builder> rings = new ArrayList<>();
        for (int i = 0; i < planRings.size(); i++) rings.add(new Builder(i, planRings.get(i), state));
        List<ExposurePoint> exposure = new ArrayList<>();
        exposure.add(new ExposurePoint(state.startedAt(), 0, "started"));
        double current = 0;
        Instant end = state.updatedAt();
        for (RolloutEvent e : events) {
            if (e.at().isAfter(end)) end = e.at();
            Builder b = e.ring() == null ? null : rings.stream().filter(r -> r.ring.name().equals(e.ring())).findFirst().orElse(null);
            Map<String, Object> ev = e.evidence();
            switch (e.type()) {
                case EventType.RING_DEPLOYING -> {
                    if (b == null) break;
                    b.deployingAt = e.at();
                    current = ev.get("exposure") instanceof Number n ? n.doubleValue() : b.ring.exposure().percent();
                    exposure.add(new ExposurePoint(e.at(), current, b.ring.name()));
                }
                case EventType.RING_DEPLOYED -> {
                    if (b == null) break;
                    b.deployedAt = e.at();
                    if (ev.get("actualPercent") instanceof Number n) {
                        b.actual = n.doubleValue();
                        current = b.actual;
                        exposure.add(new ExposurePoint(e.at(), current, b.ring.name() + " (actual)"));
                    }
                }
                case EventType.DEPLOY_FAILED -> {
                    if (b == null) break;
                    b.deployFailure = e.reason();
                    b.verdict = "FAIL";
                    b.reason = e.reason();
                    b.concludedAt = e.at();
                }
                case EventType.MEASURED -> {
                    if (b == null || !(ev.get("gate") instanceof String gate)) break;
                    String outcome = String.valueOf(ev.get("outcome"));
                    Double value = ev.get("value") instanceof Number n ? n.doubleValue() : null;
                    Instant at = ev.get("measuredAt") instanceof String s ? parse(s, e.at()) : e.at();
                    String prefix = gate + " " + outcome + ": ";
                    String summary = e.reason() != null && e.reason().startsWith(prefix) ? e.reason().substring(prefix.length()) : e.reason();
                    b.gate(gate).points.add(new Point(at, outcome, value, summary));
                }
                case EventType.RING_PASSED, EventType.RING_FAILED, EventType.RING_INCONCLUSIVE -> {
                    if (b == null) break;
                    b.verdict = String.valueOf(ev.getOrDefault("verdict", e.type().substring("RING_".length())));
                    String prefix = "ring " + b.ring.name() + " " + b.verdict + ": ";
                    b.reason = e.reason() != null && e.reason().startsWith(prefix) ? e.reason().substring(prefix.length()) : e.reason();
                    b.concludedAt = e.at();
                    if (ev.get("gates") instanceof List<?> gates) {
                        for (Object o : gates) {
                            if (o instanceof Map<?, ?> g && g.get("gate") instanceof String name) {
                                GateBuilder gb = b.gate(name);
                                gb.verdict = String.valueOf(g.get("verdict"));
                                gb.reason = g.get("reason") == null ? null : String.valueOf(g.get("reason"));
                            }
                        }
                    }
                }
                case EventType.PROMOTED -> {
                    if (b == null) break;
                    if (ev.get("overrode") != null) {
                        b.override = String.valueOf(ev.get("overrode"));
                        b.promotedBy = e.actor() == null ? null : e.actor().name();
                    }
                    if (b.concludedAt == null) b.concludedAt = e.at(); // a forced promote ends the bake
                }
                case EventType.ROLLED_BACK -> {
                    current = 0;
                    exposure.add(new ExposurePoint(e.at(), 0, "rolled back"));
                }
                default -> { }
            }
        }
        // the current ring's verdicts may not be in the journal yet: its tallies are in the state
        if (state.ringIndex() >= 0 && state.status() == Status.BAKING) {
            Builder b = rings.get(state.ringIndex());
            for (GateProgress p : state.gates()) b.gate(p.gate());
        }
        exposure.add(new ExposurePoint(end, current, "now"));
        List<RingRun> runs = rings.stream().map(Builder::build).toList();
        return new RolloutTimeline(state, state.startedAt(), end, runs, exposure, events);
    }

    private static Instant parse(String s, Instant fallback) {
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static final class Builder {
        final int index;
        final Ring ring;
        final RolloutState state;
        Instant deployingAt, deployedAt, concludedAt;
        Double actual;
        String verdict, reason, deployFailure, override, promotedBy;
        final Map<String, GateBuilder> gates = new LinkedHashMap<>();

        Builder(int index, Ring ring, RolloutState state) {
            this.index = index;
            this.ring = ring;
            this.state = state;
            for (String g : ring.gates()) gate(g);
        }

        GateBuilder gate(String name) {
            return gates.computeIfAbsent(name, n -> new GateBuilder(n, state.plan().gates().get(n)));
        }

        RingRun build() {
            String st;
            if (deployingAt == null) st = "pending";
            else if (index == state.ringIndex() && state.status().isActive()) st = "current";
            else if (("FAIL".equals(verdict) || "INCONCLUSIVE".equals(verdict)) && override == null) st = "failed";
            else if (verdict == null && override == null && index >= state.ringIndex() && state.status() != Status.COMPLETED) st = "stopped";
            else st = "done";
            if (index == state.ringIndex() && state.status() == Status.COMPLETED) st = "done";
            return new RingRun(index, ring.name(), ring.exposure().percent(), actual, Durations.format(ring.bake()),
                    deployingAt, deployedAt, concludedAt, verdict, reason, deployFailure, st,
                    gates.values().stream().map(GateBuilder::build).toList(), override, promotedBy);
        }
    }

    private static final class GateBuilder {
        final String name;
        final GateSpec spec;
        final List<Point> points = new ArrayList<>();
        String verdict, reason;

        GateBuilder(String name, GateSpec spec) {
            this.name = name;
            this.spec = spec;
        }

        GateRun build() {
            String kind = spec == null ? "?" : spec.kind();
            Map<String, Object> s = spec == null ? Map.of() : spec.settings();
            List<Threshold> t = new ArrayList<>();
            String label = "value";
            if ("judge".equals(kind)) {
                // a judge measurement's value is its score: PASS at or above pass, FAIL below marginal
                label = "score";
                t.add(new Threshold("pass", orElse(number(s.get("pass")), 95.0), "pass"));
                t.add(new Threshold("marginal", orElse(number(s.get("marginal")), 75.0), "fail"));
            } else {
                Double min = number(s.get("min")), max = number(s.get("max"));
                double marginal = orElse(number(s.get("marginal")), 0.0);
                if (max != null) t.add(new Threshold("max", max, "fail"));
                if (max != null && marginal > 0) t.add(new Threshold("max - marginal", max - marginal, "marginal"));
                if (min != null) t.add(new Threshold("min", min, "fail"));
                if (min != null && marginal > 0) t.add(new Threshold("min + marginal", min + marginal, "marginal"));
            }
            return new GateRun(name, kind, spec != null && spec.dryRun(), verdict, reason, List.copyOf(points), List.copyOf(t), label);
        }

        private static double orElse(Double v, double dflt) {
            return v == null ? dflt : v;
        }

        private static Double number(Object o) {
            if (o instanceof Number n) return n.doubleValue();
            if (o instanceof String t) {
                try {
                    return Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            return null;
        }
    }
}
