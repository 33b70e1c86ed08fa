package io.stagedrollout.core.judge.sequential;

import java.time.Instant;
import java.util.Map;

/** Cumulative request and error counters of canary and baseline, read at one instant. */
record Counters(double canaryRequests, double canaryErrors, double baselineRequests, double baselineErrors, Instant at) {
    static final String CANARY_REQUESTS = "canaryRequests";
    static final String CANARY_ERRORS = "canaryErrors";
    static final String BASELINE_REQUESTS = "baselineRequests";
    static final String BASELINE_ERRORS = "baselineErrors";
    static final String AT = "countedAt";

    /** What served since {@code earlier}; throws IllegalArgumentException when a counter went down or errors exceed requests. */
    IntervalCounts since(Counters earlier) {
        long cr = delta(canaryRequests, earlier.canaryRequests, "canary requests");
        long ce = delta(canaryErrors, earlier.canaryErrors, "canary errors");
        long br = delta(baselineRequests, earlier.baselineRequests, "baseline requests");
        long be = delta(baselineErrors, earlier.baselineErrors, "baseline errors");
        return new IntervalCounts(cr, ce, br, be);
    }

    private static long delta(double now, double before, String what) {
        if (now < before) {
            throw new IllegalArgumentException("the " + what + " counter went down from " + (long) before + " to "
                    + (long) now + " (a restarted process resets its counters)");
        }
        return Math.round(now - before);
    }

    void writeTo(Map<String, Object> data) {
        data.put(CANARY_REQUESTS, canaryRequests);
        data.put(CANARY_ERRORS, canaryErrors);
        data.put(BASELINE_REQUESTS, baselineRequests);
        data.put(BASELINE_ERRORS, baselineErrors);
        data.put(AT, at.toString());
    }

    /** The counters kept in a measurement's data, or null when it has none (or they are malformed). */
    static Counters readFrom(Map<String, Object> data) {
        if (data.get(CANARY_REQUESTS) instanceof Number cr && data.get(CANARY_ERRORS) instanceof Number ce
                && data.get(BASELINE_REQUESTS) instanceof Number br && data.get(BASELINE_ERRORS) instanceof Number be
                && data.get(AT) instanceof String at) {
            try {
                return new Counters(cr.doubleValue(), ce.doubleValue(), br.doubleValue(), be.doubleValue(), Instant.parse(at));
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }
}
