package io.stagedrollout.core.simulate;

import io.stagedrollout.core.judge.sequential.IntervalCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulated traffic for one ring's bake: requests arrive as a Poisson process at {@code requestsPerSecond}; a
 * fraction {@code exposure} goes to the canary, the rest to the baseline (the stable version); each request fails
 * with the baseline's error rate, or the canary's ({@code baselineErrorRate × regression}, 1 for an A/A run).
 * The bake is observed in {@code steps} intervals of {@code stepSeconds}.
 */
public record Scenario(double requestsPerSecond, double exposure, double baselineErrorRate, double regression,
                       int stepSeconds, int steps) {
    public Scenario {
        if (!(requestsPerSecond > 0)) throw new IllegalArgumentException("requestsPerSecond must be > 0");
        if (!(exposure > 0 && exposure < 1)) throw new IllegalArgumentException("exposure must be in (0, 1)");
        if (!(baselineErrorRate > 0 && baselineErrorRate < 1)) throw new IllegalArgumentException("baselineErrorRate must be in (0, 1)");
        if (!(regression > 0)) throw new IllegalArgumentException("regression must be > 0");
        if (stepSeconds <= 0 || steps <= 0) throw new IllegalArgumentException("stepSeconds and steps must be > 0");
    }

    public double canaryErrorRate() {
        return Math.min(1.0, baselineErrorRate * regression);
    }

    public Scenario withRegression(double r) {
        return new Scenario(requestsPerSecond, exposure, baselineErrorRate, r, stepSeconds, steps);
    }

    /**
     * One bake's traffic, interval by interval. Splitting a Poisson process by exposure and by outcome gives
     * independent Poisson counts (thinning), which is how they are drawn.
     */
    public List<IntervalCounts> simulate(SplittableRandom random) {
        double perStep = requestsPerSecond * stepSeconds;
        double canary = perStep * exposure, baseline = perStep * (1 - exposure);
        double pc = canaryErrorRate(), pb = baselineErrorRate;
        List<IntervalCounts> out = new ArrayList<>(steps);
        for (int s = 0; s < steps; s++) {
            long ce = Poisson.sample(random, canary * pc);
            long cr = ce + Poisson.sample(random, canary * (1 - pc));
            long be = Poisson.sample(random, baseline * pb);
            long br = be + Poisson.sample(random, baseline * (1 - pb));
            out.add(new IntervalCounts(cr, ce, br, be));
        }
        return out;
    }
}
