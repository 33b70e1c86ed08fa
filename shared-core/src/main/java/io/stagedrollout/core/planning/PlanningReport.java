package io.stagedrollout.core.planning;

import io.stagedrollout.core.gate.GateRules;
import io.stagedrollout.core.plan.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bake-time check of every ring and the blast-radius comparison, for {@code rollout plan} and the API.
 * {@code blast} is null when no regression size is known.
 */
public record PlanningReport(PlanningInputs inputs, List<RingCheck> rings, BlastRadius blast, List<String> warnings) {
    public PlanningReport {
        rings = List.copyOf(rings);
        warnings = List.copyOf(warnings);
    }

    /** Whether every ring bakes long enough and nothing else was found wrong. */
    public boolean ok() {
        return warnings.isEmpty() && rings.stream().allMatch(RingCheck::bakesEnough);
    }

    /** Lines for people ({@code rollout plan}); warnings start with "warning:". */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("Bake-time check: two-proportion z-test, " + (inputs.twoSided() ? "two" : "one") + "-sided alpha "
                + num(inputs.alpha()) + ", power " + num(inputs.power()) + "; " + num(inputs.requestsPerSecond())
                + " requests/s, baseline error rate " + pct(inputs.baselineErrorRate())
                + (inputs.regression() == null ? ", regression: each ring's gate max" : ", regression " + num(inputs.regression())
                + "x → " + pct(inputs.baselineErrorRate() * inputs.regression())));
        for (RingCheck r : rings) {
            StringBuilder sb = new StringBuilder("  ");
            sb.append(String.format(Locale.ROOT, "%-16s %7s  bake %-7s", r.ring(), num(r.exposurePercent()) + "%",
                    Durations.format(r.bake())));
            if (r.minBake() != null) {
                sb.append(" needs ").append(String.format(Locale.ROOT, "%-8s", Durations.format(r.minBake())))
                        .append(" (").append(Math.round(r.canaryRequests())).append(" canary requests)")
                        .append(", power ").append(num(round(r.power(), 3)));
            }
            sb.append(r.warning() == null ? "  ok" : "  warning: " + r.warning());
            out.add(sb.toString());
        }
        for (String w : warnings) out.add("  warning: " + w);
        if (blast != null) {
            out.add("Blast radius of a bad version (" + pct(inputs.baselineErrorRate()) + " → "
                    + pct(rings.stream().map(RingCheck::targetErrorRate).filter(java.util.Objects::nonNull).findFirst().orElse(0.0))
                    + "); gates catch it only when a measurement completes; deploy " + Durations.format(inputs.deployTime())
                    + ", revert " + Durations.format(inputs.revertTime()) + ":");
            out.add("  this plan: ~" + count(blast.planRequests()) + " requests" + users(blast.planUsers())
                    + " before it is caught (~" + count(blast.badRequestsPlan()) + " extra failures); it escapes every gate with probability "
                    + num(round(blast.escapeProbability(), 3)));
            out.add("  big-bang:  ~" + count(blast.bigBangRequests()) + " requests" + users(blast.bigBangUsers())
                    + (blast.bigBangDetection() == null ? " (its gates never measure: nothing catches it)"
                    : " before the same gates catch it, on average " + Durations.format(blast.bigBangDetection())
                    + " after the deploy") + " (~" + count(blast.badRequestsBigBang()) + " extra failures)"
                    + (blast.bigBangEscapeProbability() > 0.0005 ? "; it escapes them with probability "
                    + num(round(blast.bigBangEscapeProbability(), 3)) : ""));
        }
        return out;
    }

    private static String users(Double u) {
        return u == null ? "" : ", " + count(u) + " users";
    }

    static String num(double v) {
        return GateRules.number(v);
    }

    static String pct(double rate) {
        return GateRules.number(round(rate * 100, 4)) + "%";
    }

    static String count(double v) {
        return String.format(Locale.ROOT, "%,d", Math.round(v));
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static Duration seconds(double s) {
        return Duration.ofSeconds((long) Math.ceil(s));
    }
}
