package io.stagedrollout.core.judge.sequential;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Cumulative request and error counters of canary and baseline, read at one instant: the sums, and, when the source
 * scrapes separate series (OpenMetrics), each series' value so that deltas are taken per series. A counter sums the
 * series of many processes; when one restarts its series drops to zero while the sum may still grow, which would
 * hide that process's errors. Per series, as Prometheus' {@code increase()} does, a drop means "restarted from zero".
 * Shared by both sources: OpenMetrics scrapes, and Prometheus queries that return series rather than one sum.
 *
 * @param series the values per series, or null when the source gives only sums (aggregated Prometheus queries, or
 *               data kept by an older version)
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

    /**
     * The value of each series of the four counters, keyed by a short hash of the series (see {@link #key}); a counter
     * read as one aggregated number (a Prometheus {@code sum(...)} or scalar) has null instead, and is diffed as a sum.
     */
    record Series(Map<String, Double> canaryRequests, Map<String, Double> canaryErrors,
                  Map<String, Double> baselineRequests, Map<String, Double> baselineErrors) {
        Series {
            canaryRequests = canaryRequests == null ? null : Map.copyOf(canaryRequests);
            canaryErrors = canaryErrors == null ? null : Map.copyOf(canaryErrors);
            baselineRequests = baselineRequests == null ? null : Map.copyOf(baselineRequests);
            baselineErrors = baselineErrors == null ? null : Map.copyOf(baselineErrors);
        }

        /** Null when no counter has series. */
        static Series ofNullable(Map<String, Double> cr, Map<String, Double> ce, Map<String, Double> br, Map<String, Double> be) {
            return cr == null && ce == null && br == null && be == null ? null : new Series(cr, ce, br, be);
        }
    }

    /**
     * A series' key in the kept data: 16 hex digits of the SHA-256 of its identity, so the data stays small whatever
     * the labels hold, and no label value (which an endpoint controls) reaches the journal.
     */
    static String key(String identity) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(identity.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
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
        Set<String> restarted = new HashSet<>();
        Set<String> vanished = new HashSet<>();
        Series n = series == null ? new Series(null, null, null, null) : series;
        Series b = earlier.series == null ? new Series(null, null, null, null) : earlier.series;
        long cr = delta(canaryRequests, earlier.canaryRequests, n.canaryRequests, b.canaryRequests, "canary requests", restarted, vanished);
        long ce = delta(canaryErrors, earlier.canaryErrors, n.canaryErrors, b.canaryErrors, "canary errors", restarted, vanished);
        long br = delta(baselineRequests, earlier.baselineRequests, n.baselineRequests, b.baselineRequests, "baseline requests", restarted, vanished);
        long be = delta(baselineErrors, earlier.baselineErrors, n.baselineErrors, b.baselineErrors, "baseline errors", restarted, vanished);
        return new Interval(new IntervalCounts(cr, ce, br, be), restarted.size(), vanished.size());
    }

    /** Per series when both readings have this counter's series, otherwise the sums'. */
    private static long delta(double now, double before, Map<String, Double> nowSeries, Map<String, Double> beforeSeries,
                              String what, Set<String> restarted, Set<String> vanished) {
        return nowSeries != null && beforeSeries != null
                ? delta(nowSeries, beforeSeries, restarted, vanished)
                : delta(now, before, what);
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
            if (series.canaryRequests != null) s.put(CANARY_REQUESTS, new LinkedHashMap<>(series.canaryRequests));
            if (series.canaryErrors != null) s.put(CANARY_ERRORS, new LinkedHashMap<>(series.canaryErrors));
            if (series.baselineRequests != null) s.put(BASELINE_REQUESTS, new LinkedHashMap<>(series.baselineRequests));
            if (series.baselineErrors != null) s.put(BASELINE_ERRORS, new LinkedHashMap<>(series.baselineErrors));
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

    /** A counter without kept series is diffed as a sum; any damaged entry distrusts them all. */
    private static Series seriesFrom(Object kept) {
        if (!(kept instanceof Map<?, ?> s)) return null;
        Map<String, Map<String, Double>> read = new HashMap<>();
        for (String counter : List.of(CANARY_REQUESTS, CANARY_ERRORS, BASELINE_REQUESTS, BASELINE_ERRORS)) {
            if (!s.containsKey(counter)) continue;
            Map<String, Double> v = values(s.get(counter));
            if (v == null) return null;
            read.put(counter, v);
        }
        return Series.ofNullable(read.get(CANARY_REQUESTS), read.get(CANARY_ERRORS), read.get(BASELINE_REQUESTS), read.get(BASELINE_ERRORS));
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
