package io.stagedrollout.core.simulate;

import io.stagedrollout.core.gate.GateRules;
import io.stagedrollout.core.judge.sequential.IntervalCounts;
import java.util.List;

/**
 * The naive rule this project's sequential gate replaces: after every interval, a fixed-sample one-sided
 * two-proportion z-test on all counts so far, rolling back the first time p < alpha. Each single test has size
 * alpha; looking again and again does not, which the benchmark and tests show.
 */
public record RepeatedTestRule(double alpha) implements DetectionRule {
    @Override
    public String name() {
        return "repeated-z-test";
    }

    @Override
    public String settings() {
        return "one-sided two-proportion z-test on cumulative counts, p < " + GateRules.number(alpha) + " after every interval";
    }

    @Override
    public int rollbackAfter(List<IntervalCounts> intervals) {
        long cr = 0, ce = 0, br = 0, be = 0;
        for (int i = 0; i < intervals.size(); i++) {
            IntervalCounts c = intervals.get(i);
            cr += c.canaryRequests();
            ce += c.canaryErrors();
            br += c.baselineRequests();
            be += c.baselineErrors();
            if (pValue(cr, ce, br, be) < alpha) return i + 1;
        }
        return 0;
    }

    /** One-sided p-value that the canary's error rate exceeds the baseline's (pooled z-test); 1 when undefined. */
    static double pValue(long cr, long ce, long br, long be) {
        if (cr == 0 || br == 0) return 1;
        double pooled = (double) (ce + be) / (cr + br);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / cr + 1.0 / br));
        if (se == 0) return 1;
        double z = ((double) ce / cr - (double) be / br) / se;
        return Normal.upperTail(z);
    }
}
