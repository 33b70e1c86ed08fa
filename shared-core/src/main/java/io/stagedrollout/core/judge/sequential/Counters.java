package io.stagedrollout.core.judge.sequential;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Cumulative request and error counters of canary and baseline, read at one instant: the sums, and, when the source
 * scrapes separate series (OpenMetrics), each series' value so that deltas are taken per series. A counter sums the
 * series of many processes; when one restarts its series drops to zero while the sum may still grow, which would
 * hide that process's errors. Per series, as Prometheus' {@code increase()} does, a drop means "restarted from zero".
 *
 * @param series the values per series, or null when the source gives only sums (Prometheus queries, or data kept by
 *               an older version)
 */
record Counters(double canaryRequests, double canaryErrors, double baselineRequests, double baselineErrors, Instant at,
                Series series) {
    static final String CANARY_REQUESTS = "canaryRequests";
    static final String CANARY_ERRORS = "canaryErrors";
    static final String BASELINE_REQUESTS = "baselineRequests";
    static final String BASELINE_ERRORS = "baselineErrors";
    static final String AT = "countedAt";
    static final String SERIES = "series";
    /**
     * The most series one counter may keep: every series' value travels in each measurement's data, so the kept state
     * stays bounded (at most 4 × 1000 entries of a 16-character key and a number).
     */
    static final int MAX_SERIES = 1000;

    /** Sums only: deltas of the sums. */
    Counters(double canaryRequests, double canaryErrors, double baselineRequests, double baselineErrors, Instant at) {
        this(canaryRequests, canaryErrors, baselineRequests, baselineErrors, at, null);
    }

    /** The value of each series of the four counters, keyed by a short hash of the series (see {@link OpenMetricsCounters#key}). */
    record Series(Map<String, Double> canaryRequests, Map<String, Double> canaryErrors,
                  Map<String, Double> baselineRequests, Map<String, Double> baselineErrors) {
        Series {
            canaryRequests = Map.copyOf(canaryRequests);
            canaryErrors = Map.copyOf(canaryErrors);
            baselineRequests = Map.copyOf(baselineRequests);
            baselineErrors = Map.copyOf(baselineErrors);
        }
    }

    /** One interval's counts and what the series did in it. */
    record Interval(IntervalCounts counts, int restartedSeries, int vanishedSeries) {
        /** Words for the measurement summary, empty when every series simply grew. */
        String note() {
            String s = "";
            if (restartedSeries > 0) s += "; " + restartedSeries + " series restarted; counted from zero";
            if (vanishedSeries > 0) s += "; " + vanishedSeries + " series disappeared";
            return s;
        }
    }

    /**
     * What served since {@code earlier}: per series when both readings have them (a series that went down restarted
     * and counts from zero, a new series counts from zero, a vanished one adds nothing), otherwise from the sums.
     *
     * @throws IllegalArgumentException when a summed counter went down or errors exceed requests
     */
    Interval since(Counters earlier) {
        if (series != null && earlier.series != null) {
            Set<String> restarted = new HashSet<>();
            Set<String> vanished = new HashSet<>();
            long cr = delta(series.canaryRequests, earlier.series.canaryRequests, restarted, vanished);
            long ce = delta(series.canaryErrors, earlier.series.canaryErrors, restarted, vanished);
            long br = delta(series.baselineRequests, earlier.series.baselineRequests, restarted, vanished);
            long be = delta(series.baselineErrors, earlier.series.baselineErrors, restarted, vanished);
            return new Interval(new IntervalCounts(cr, ce, br, be), restarted.size(), vanished.size());
        }
        long cr = delta(canaryRequests, earlier.canaryRequests, "canary requests");
        long ce = delta(canaryErrors, earlier.canaryErrors, "canary errors");
        long br = delta(baselineRequests, earlier.baselineRequests, "baseline requests");
        long be = delta(baselineErrors, earlier.baselineErrors, "baseline errors");
        return new Interval(new IntervalCounts(cr, ce, br, be), 0, 0);
    }

    private static long delta(Map<String, Double> now, Map<String, Double> before, Set<String> restarted, Set<String> vanished) {
        double sum = 0;
        for (var e : now.entrySet()) {
            Double b = before.get(e.getKey());
            double v = e.getValue();
            if (b == null) {
                sum += v;
            } else if (v < b) {
                restarted.add(e.getKey());
                sum += v;
            } else {
                sum += v - b;
            }
        }
        for (String k : before.keySet()) if (!now.containsKey(k)) vanished.add(k);
        return Math.round(sum);
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
        if (series != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put(CANARY_REQUESTS, new LinkedHashMap<>(series.canaryRequests));
            s.put(CANARY_ERRORS, new LinkedHashMap<>(series.canaryErrors));
            s.put(BASELINE_REQUESTS, new LinkedHashMap<>(series.baselineRequests));
            s.put(BASELINE_ERRORS, new LinkedHashMap<>(series.baselineErrors));
            data.put(SERIES, s);
        }
    }

    /**
     * The counters kept in a measurement's data, or null when it has none (or they are malformed). Series that are
     * missing or malformed (data an older version wrote, or a damaged journal) leave only the sums.
     */
    static Counters readFrom(Map<String, Object> data) {
        if (data.get(CANARY_REQUESTS) instanceof Number cr && data.get(CANARY_ERRORS) instanceof Number ce
                && data.get(BASELINE_REQUESTS) instanceof Number br && data.get(BASELINE_ERRORS) instanceof Number be
                && data.get(AT) instanceof String at) {
            try {
                return new Counters(cr.doubleValue(), ce.doubleValue(), br.doubleValue(), be.doubleValue(), Instant.parse(at),
                        seriesFrom(data.get(SERIES)));
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private static Series seriesFrom(Object kept) {
        if (!(kept instanceof Map<?, ?> s)) return null;
        Map<String, Double> cr = values(s.get(CANARY_REQUESTS));
        Map<String, Double> ce = values(s.get(CANARY_ERRORS));
        Map<String, Double> br = values(s.get(BASELINE_REQUESTS));
        Map<String, Double> be = values(s.get(BASELINE_ERRORS));
        return cr == null || ce == null || br == null || be == null ? null : new Series(cr, ce, br, be);
    }

    private static Map<String, Double> values(Object o) {
        if (!(o instanceof Map<?, ?> m) || m.size() > MAX_SERIES) return null;
        Map<String, Double> out = new LinkedHashMap<>();
        for (var e : m.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof Number n)) return null;
            double v = n.doubleValue();
            if (!Double.isFinite(v) || v < 0) return null;
            out.put(k, v);
        }
        return out;
    }
}
