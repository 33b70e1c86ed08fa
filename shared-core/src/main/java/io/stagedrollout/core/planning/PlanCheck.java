package io.stagedrollout.core.planning;

import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.Ring;
import io.stagedrollout.core.plan.RolloutPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a plan against the traffic it will see: does each ring bake long enough for its gates to catch the
 * regression (see {@link TwoProportionPower}), and how far does a bad version get under this plan compared with a
 * big-bang release.
 *
 * <p>Model, stated so it can be argued with: during ring i the canary gets exposure e_i of all requests and the
 * baseline (the stable version) the rest, so k = (1 - e_i) / e_i baseline requests per canary request; a ring at
 * 100% is judged against the known baseline rate. The regressed error rate is baselineErrorRate * regression, or,
 * without {@code regression}, the smallest {@code max} among the ring's gates. A ring with gates catches the
 * regression with the power its bake gives; a ring without gates never does. Expected requests served by the bad
 * version sum over rings: P(reach ring i) * rate * e_i * (power_i * min(bake_i, minBake_i) + (1 - power_i) * bake_i),
 * a caught ring stopping once it has the requests it needs. The big-bang release serves 100% at once and is caught
 * by the same test against the known baseline rate, after the requests that test needs.
 */
public final class PlanCheck {
    private PlanCheck() {}

    public static PlanningReport of(RolloutPlan plan, PlanningInputs in) {
        List<RingCheck> checks = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        double p0 = in.baselineErrorRate();
        for (Ring ring : plan.rings()) {
            checks.add(ring(plan, ring, in, warnings));
        }
        BlastRadius blast = null;
        Double target = in.regression() != null ? (Double) (p0 * in.regression())
                : checks.stream().map(RingCheck::targetErrorRate).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (target != null && target > p0 && target < 1) {
            blast = blast(plan, in, checks, target);
        } else if (in.regression() == null) {
            warnings.add("no regression size: set planning.regression (e.g. 2x) or give the rings' gates a max above the baseline error rate");
        }
        return new PlanningReport(in, checks, blast, warnings);
    }

    /** How long the ring really bakes: its bake, or longer when a gate's count and interval outlast it. */
    static Duration effectiveBake(RolloutPlan plan, Ring ring) {
        java.time.Instant t0 = java.time.Instant.EPOCH;
        List<GateSpec> gates = ring.gates().stream().map(g -> plan.gates().get(g)).filter(java.util.Objects::nonNull).toList();
        return Duration.between(t0, io.stagedrollout.core.gate.BakeSchedule.concludeAt(gates, t0, ring.bake()));
    }

    private static RingCheck ring(RolloutPlan plan, Ring ring, PlanningInputs in, List<String> warnings) {
        Duration bake = effectiveBake(plan, ring);
        double e = ring.exposure().percent() / 100.0;
        double k = e >= 1 ? Double.POSITIVE_INFINITY : (1 - e) / e;
        Double gateMax = smallestMax(plan, ring);
        double p0 = in.baselineErrorRate();
        Double target = in.regression() != null ? (Double) (p0 * in.regression()) : gateMax;
        boolean hasGates = !ring.gates().isEmpty();
        if (e <= 0) {
            return new RingCheck(ring.name(), ring.exposure().percent(), bake, target, k, null, null, 0, false,
                    "exposure 0% serves no canary traffic");
        }
        if (target == null || target <= p0 || target >= 1) {
            String why = target == null ? null : "the gate max " + PlanningReport.pct(target) + " is not above the baseline error rate "
                    + PlanningReport.pct(p0) + ": the gate would fail a healthy version";
            return new RingCheck(ring.name(), ring.exposure().percent(), bake, target, k, null, null, 0, hasGates, why);
        }
        double n = TwoProportionPower.canaryRequests(p0, target, k, in.alpha(), in.power(), in.twoSided());
        double canaryRate = in.requestsPerSecond() * e;
        Duration minBake = PlanningReport.seconds(n / canaryRate);
        double power = hasGates ? TwoProportionPower.power(p0, target, k, in.alpha(), canaryRate * bake.toMillis() / 1000.0, in.twoSided()) : 0;
        String warning = null;
        if (!hasGates) {
            warning = "no gates: this ring cannot catch a regression";
        } else if (bake.compareTo(minBake) < 0) {
            warning = "bakes " + io.stagedrollout.core.plan.Durations.format(bake) + ", less than the "
                    + io.stagedrollout.core.plan.Durations.format(minBake) + " needed to catch " + PlanningReport.pct(p0) + " → "
                    + PlanningReport.pct(target) + " with power " + PlanningReport.num(in.power()) + " (it has "
                    + PlanningReport.num(PlanningReport.round(power, 3)) + ")";
        }
        if (in.regression() != null && gateMax != null && gateMax >= target) {
            warnings.add("ring " + ring.name() + ": its gate max " + PlanningReport.pct(gateMax) + " is not below the regressed error rate "
                    + PlanningReport.pct(target) + ", so a threshold gate cannot fail on this regression");
        }
        return new RingCheck(ring.name(), ring.exposure().percent(), bake, target, k, minBake, n, power, hasGates, warning);
    }

    private static BlastRadius blast(RolloutPlan plan, PlanningInputs in, List<RingCheck> checks, double target) {
        double p0 = in.baselineErrorRate();
        double reach = 1;
        double requests = 0;
        double users = 0;
        for (int i = 0; i < checks.size(); i++) {
            RingCheck c = checks.get(i);
            Ring ring = plan.ring(i);
            double e = ring.exposure().percent() / 100.0;
            double rate = in.requestsPerSecond() * e;
            double bake = effectiveBake(plan, ring).toMillis() / 1000.0;
            double k = e >= 1 ? Double.POSITIVE_INFINITY : (1 - e) / e;
            double power = c.caught() && e > 0 ? TwoProportionPower.power(p0, target, k, in.alpha(), rate * bake, in.twoSided()) : 0;
            double need = e > 0 ? TwoProportionPower.canaryRequests(p0, target, k, in.alpha(), in.power(), in.twoSided()) / rate : bake;
            requests += reach * rate * (power * Math.min(bake, need) + (1 - power) * bake);
            users += reach * power * e;
            reach *= 1 - power;
        }
        users += reach; // it escaped every gate: everyone has it
        double bigBang = TwoProportionPower.canaryRequests(p0, target, Double.POSITIVE_INFINITY, in.alpha(), in.power(), in.twoSided());
        Double u = in.users();
        double lift = target - p0;
        return new BlastRadius(requests, u == null ? null : users * u, reach, bigBang, u,
                PlanningReport.seconds(bigBang / in.requestsPerSecond()), requests * lift, bigBang * lift);
    }

    /** The smallest {@code max} among the ring's gates (metrics and prometheus thresholds), or null. */
    static Double smallestMax(RolloutPlan plan, Ring ring) {
        Double best = null;
        for (String g : ring.gates()) {
            GateSpec spec = plan.gates().get(g);
            if (spec == null || spec.dryRun()) continue;
            Object max = spec.settings().get("max");
            Double v = max instanceof Number n ? (Double) n.doubleValue() : null;
            if (max instanceof String text) {
                try {
                    v = Double.parseDouble(text.trim()); // plans may quote numbers; the gate accepts them
                } catch (NumberFormatException ignored) {
                    v = null;
                }
            }
            if (v != null && (best == null || v < best)) best = v;
        }
        return best;
    }
}
