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
 * without {@code regression}, the smallest {@code max} among the ring's gates. A gate can only see the regression when
 * one of its measurements completes ({@link MeasurementTimes}: initialDelay, the scrape window, then every interval),
 * and by the measurement at time t it has caught it with the power the t * rate * e_i canary requests give
 * (cumulative, so at least the chance it had at the previous measurement); a ring without gates never does. A ring
 * that catches it serves the bad version until that measurement plus {@code revertTime}; one that does not, for its
 * whole bake; every ring reached also serves it during its {@code deployTime}. The big-bang release deploys 100% once
 * and is judged by the same gates (those of the plan's last ring with gates) for as long as the whole plan takes, on
 * the same measurement schedule, against the known baseline rate, with the same deploy and revert times.
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
            blast = blast(plan, in, target);
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
        boolean hasGates = !MeasurementTimes.countedGates(plan, ring).isEmpty();
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
        // the power the gates can use: the canary requests served up to the ring's last measurement, not its whole bake
        List<Double> times = MeasurementTimes.ofRing(plan, ring, bake);
        double seen = times.isEmpty() ? 0 : times.get(times.size() - 1);
        double power = hasGates ? TwoProportionPower.power(p0, target, k, in.alpha(), canaryRate * seen, in.twoSided()) : 0;
        String warning = null;
        if (!hasGates) {
            warning = "no gates: this ring cannot catch a regression";
        } else if (seen < n / canaryRate) {
            warning = "bakes " + io.stagedrollout.core.plan.Durations.format(bake) + (seen * 1000 < bake.toMillis()
                    ? " (last measurement at " + io.stagedrollout.core.plan.Durations.format(PlanningReport.seconds(seen)) + ")" : "")
                    + ", less than the " + io.stagedrollout.core.plan.Durations.format(minBake) + " needed to catch "
                    + PlanningReport.pct(p0) + " → " + PlanningReport.pct(target) + " with power "
                    + PlanningReport.num(in.power()) + " (it has " + PlanningReport.num(PlanningReport.round(power, 3)) + ")";
        }
        if (in.regression() != null && gateMax != null && gateMax >= target) {
            warnings.add("ring " + ring.name() + ": its gate max " + PlanningReport.pct(gateMax) + " is not below the regressed error rate "
                    + PlanningReport.pct(target) + ", so a threshold gate cannot fail on this regression");
        }
        return new RingCheck(ring.name(), ring.exposure().percent(), bake, target, k, minBake, n, power, hasGates, warning);
    }

    /** Expected seconds a bad version serves in one ring (from the end of its deploy) and the chance it is caught there. */
    record Exposure(double meanSeconds, double caught, double meanCaughtSeconds) {}

    /**
     * @param times     when measurements complete, seconds from the end of the deploy, ascending
     * @param caughtBy  the chance the gates have caught it by a measurement at t
     * @param bake      how long the ring serves when nothing catches it
     */
    static Exposure exposure(List<Double> times, java.util.function.DoubleUnaryOperator caughtBy, double bake, double revert) {
        double before = 0, mean = 0, caughtMean = 0;
        for (double t : times) {
            double f = Math.min(1, Math.max(before, caughtBy.applyAsDouble(t)));
            caughtMean += (f - before) * (t + revert);
            before = f;
        }
        mean = caughtMean + (1 - before) * bake;
        return new Exposure(mean, before, before > 0 ? caughtMean / before : Double.NaN);
    }

    private static BlastRadius blast(RolloutPlan plan, PlanningInputs in, double target) {
        double p0 = in.baselineErrorRate();
        double deploy = in.deployTime().toMillis() / 1000.0;
        double revert = in.revertTime().toMillis() / 1000.0;
        double reach = 1;
        double requests = 0;
        double users = 0;
        double planSeconds = 0;
        Ring judgedBy = null;
        for (Ring ring : plan.rings()) {
            double e = ring.exposure().percent() / 100.0;
            Duration bakeDuration = effectiveBake(plan, ring);
            double bake = bakeDuration.toMillis() / 1000.0;
            planSeconds += deploy + bake;
            if (MeasurementTimes.hasGates(plan, ring)) judgedBy = ring;
            if (e <= 0) continue;
            double rate = in.requestsPerSecond() * e;
            double k = e >= 1 ? Double.POSITIVE_INFINITY : (1 - e) / e;
            Exposure x = exposure(MeasurementTimes.ofRing(plan, ring, bakeDuration),
                    t -> TwoProportionPower.power(p0, target, k, in.alpha(), rate * t, in.twoSided()), bake, revert);
            requests += reach * rate * (deploy + x.meanSeconds());
            users += reach * x.caught() * e;
            reach *= 1 - x.caught();
        }
        users += reach; // it escaped every gate: everyone has it
        // big-bang: one deploy at 100%, the same gates, observed as long as the plan takes
        double window = Math.max(0, planSeconds - deploy);
        List<Double> times = judgedBy == null ? List.of()
                : MeasurementTimes.ofRing(plan, judgedBy, PlanningReport.seconds(window));
        Exposure big = exposure(times, t -> TwoProportionPower.power(p0, target, Double.POSITIVE_INFINITY, in.alpha(),
                in.requestsPerSecond() * t, in.twoSided()), window, revert);
        double bigRequests = in.requestsPerSecond() * (deploy + big.meanSeconds());
        Double u = in.users();
        double lift = target - p0;
        Duration bigDetection = Double.isNaN(big.meanCaughtSeconds()) ? null : PlanningReport.seconds(big.meanCaughtSeconds());
        return new BlastRadius(requests, u == null ? null : users * u, reach, bigRequests, u, bigDetection,
                requests * lift, bigRequests * lift, 1 - big.caught());
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
