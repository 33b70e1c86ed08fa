package io.stagedrollout.core.judge.sequential;

/**
 * What canary and baseline served during one interval: requests and the errors among them (counter deltas).
 *
 * @throws IllegalArgumentException when a count is negative or errors exceed requests
 */
public record IntervalCounts(long canaryRequests, long canaryErrors, long baselineRequests, long baselineErrors) {
    public IntervalCounts {
        if (canaryRequests < 0 || canaryErrors < 0 || baselineRequests < 0 || baselineErrors < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + describe(canaryRequests, canaryErrors, baselineRequests, baselineErrors));
        }
        if (canaryErrors > canaryRequests || baselineErrors > baselineRequests) {
            throw new IllegalArgumentException("errors exceed requests: " + describe(canaryRequests, canaryErrors, baselineRequests, baselineErrors));
        }
    }

    /** True when the interval says something about the ratio: both sides served requests and some errored. */
    public boolean informative() {
        return canaryRequests > 0 && baselineRequests > 0 && canaryErrors + baselineErrors > 0;
    }

    private static String describe(long cr, long ce, long br, long be) {
        return "canary " + ce + " of " + cr + ", baseline " + be + " of " + br;
    }
}
