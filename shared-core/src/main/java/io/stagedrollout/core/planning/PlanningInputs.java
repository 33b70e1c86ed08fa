package io.stagedrollout.core.planning;

import io.stagedrollout.core.plan.SpecReader;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the bake-time and blast-radius check needs to know about the service, from the plan's optional
 * {@code planning:} section or from flags.
 * <pre>
 * planning: {requestsPerSecond: 50, baselineErrorRate: 0.005, regression: 2x, alpha: 0.05, power: 0.8, users: 200000,
 *            deployTime: 1m, revertTime: 30s}
 * </pre>
 *
 * @param requestsPerSecond all production traffic of the service, before any split
 * @param baselineErrorRate the stable version's error rate (0.005 = 0.5%)
 * @param regression        the regression to catch as a multiple of the baseline error rate (2 = doubled); null: use
 *                          the ring's gate threshold ({@code max}) as the regressed error rate
 * @param alpha             significance: the false-alarm rate the test accepts
 * @param power             the chance of catching the regression when it is there
 * @param users             active users (optional): blast radius in users as well as requests
 * @param twoSided          test both directions (the gate fails on any change); default one-sided, as a regression is an increase
 * @param deployTime        how long a deploy takes before the ring's exposure is reached (the bad version serves meanwhile)
 * @param revertTime        how long a revert takes to take the bad version out of traffic once a gate has caught it
 */
public record PlanningInputs(double requestsPerSecond, double baselineErrorRate, Double regression, double alpha,
        double power, Double users, boolean twoSided, Duration deployTime, Duration revertTime) {
    private static final Pattern MULTIPLE = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*[xX×]?\\s*");

    public PlanningInputs {
        deployTime = deployTime == null ? Duration.ZERO : deployTime;
        revertTime = revertTime == null ? Duration.ZERO : revertTime;
    }

    /** Without deploy and revert times (both taken as instant). */
    public PlanningInputs(double requestsPerSecond, double baselineErrorRate, Double regression, double alpha,
            double power, Double users, boolean twoSided) {
        this(requestsPerSecond, baselineErrorRate, regression, alpha, power, users, twoSided, Duration.ZERO, Duration.ZERO);
    }

    public static PlanningInputs of(double requestsPerSecond, double baselineErrorRate, Double regression) {
        return new PlanningInputs(requestsPerSecond, baselineErrorRate, regression, 0.05, 0.8, null, false);
    }

    /**
     * Reads the {@code planning} mapping, reporting problems to {@code r} (paths such as {@code planning.alpha});
     * returns null when a required field is missing or wrong. Call {@code r.finish()} afterwards.
     */
    public static PlanningInputs read(SpecReader r) {
        Optional<Double> rps = r.number("requestsPerSecond");
        Optional<Double> base = r.number("baselineErrorRate");
        if (rps.isEmpty() && !r.has("requestsPerSecond")) r.problem("requestsPerSecond", "is required (all traffic of the service, requests per second)");
        if (base.isEmpty() && !r.has("baselineErrorRate")) r.problem("baselineErrorRate", "is required (the stable version's error rate, e.g. 0.005)");
        rps.filter(v -> v <= 0).ifPresent(v -> r.problem("requestsPerSecond", "must be above 0, not " + v));
        base.filter(v -> v <= 0 || v >= 1).ifPresent(v -> r.problem("baselineErrorRate", "must be above 0 and below 1, not " + v));
        Double regression = null;
        Optional<String> reg = r.string("regression");
        if (reg.isPresent()) {
            Matcher m = MULTIPLE.matcher(reg.get());
            if (!m.matches() || Double.parseDouble(m.group(1)) <= 1) {
                r.problem("regression", "must be a multiple of the baseline error rate above 1, such as 2x or 1.5, not '" + reg.get() + "'");
            } else {
                regression = Double.parseDouble(m.group(1));
                if (base.isPresent() && base.get() * regression >= 1) {
                    r.problem("regression", "makes the error rate " + base.get() * regression + ", which is not below 1");
                }
            }
        }
        double alpha = r.number("alpha").orElse(0.05);
        if (!(alpha > 0 && alpha < 0.5)) r.problem("alpha", "must be above 0 and below 0.5, not " + alpha);
        double power = r.number("power").orElse(0.8);
        if (!(power >= 0.5 && power < 1)) r.problem("power", "must be at least 0.5 and below 1, not " + power);
        Double users = r.number("users").orElse(null);
        if (users != null && users <= 0) r.problem("users", "must be above 0, not " + users);
        String test = r.choice("test", "one-sided", "one-sided", "two-sided");
        Duration deployTime = r.duration("deployTime", Duration.ZERO);
        Duration revertTime = r.duration("revertTime", Duration.ZERO);
        if (rps.isEmpty() || base.isEmpty() || rps.get() <= 0 || base.get() <= 0 || base.get() >= 1) return null;
        return new PlanningInputs(rps.get(), base.get(), regression, alpha, power, users, test.equals("two-sided"),
                deployTime, revertTime);
    }
}
