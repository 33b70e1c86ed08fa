package io.stagedrollout.core.judge.sequential;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagedrollout.core.gate.kind.OpenMetrics;
import io.stagedrollout.core.plan.SpecReader;
import io.stagedrollout.core.plan.Templates;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code sequential} gate's own fields, read and checked (see bench/README.md for the plan syntax).
 *
 * @param earlyPass a measurement whose confidence sequence rules out a {@code minEffect} regression settles the gate
 *                  as passed, so the ring may end its bake early (anytime-valid: a regression of at least minEffect
 *                  passes early with probability at most alpha)
 */
record SequentialSettings(double alpha, double minEffect, Direction direction, long minRequests,
                          OpenMetricsSide canaryScrape, OpenMetricsSide baselineScrape,
                          String prometheus, PrometheusSide canaryQueries, PrometheusSide baselineQueries,
                          Duration window, Duration timeout, String tokenEnv, boolean earlyPass) {
    static final double DEFAULT_ALPHA = 0.05;
    static final double DEFAULT_MIN_EFFECT = 1.5;
    private static final Pattern EFFECT = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(x|%)?\\s*", Pattern.CASE_INSENSITIVE);

    /** One side's series on an OpenMetrics endpoint. */
    record OpenMetricsSide(String endpoint, OpenMetrics.Selector requests, OpenMetrics.Selector errors, String requestsText, String errorsText) {}

    /** One side's PromQL queries, each returning one cumulative count. */
    record PrometheusSide(String requests, String errors) {}

    boolean usesPrometheus() {
        return prometheus != null;
    }

    static SequentialSettings read(SpecReader r) {
        double alpha = r.number("alpha").orElse(DEFAULT_ALPHA);
        if (!(alpha > 0 && alpha <= 0.5)) {
            r.problem("alpha", "must be greater than 0 and at most 0.5 (the false-rollback rate, e.g. 0.01), not " + alpha);
            alpha = DEFAULT_ALPHA;
        }
        double minEffect = minEffect(r);
        Direction direction = Direction.parse(r.choice("direction", "increase", "increase", "decrease", "either"));
        long minRequests = r.integer("minRequests", 1, 1, Integer.MAX_VALUE);
        boolean earlyPass = r.bool("earlyPass", false);
        Duration timeout = r.duration("timeout", Duration.ofSeconds(5));
        if (timeout.isZero()) r.problem("timeout", "must be longer than 0s");
        String tokenEnv = r.string("tokenEnv").orElse(null);
        String endpoint = r.string("endpoint").orElse(null);
        String prometheus = r.string("prometheus").orElse(null);
        boolean hasCanary = r.has("canary"), hasBaseline = r.has("baseline");
        if (!hasCanary) r.problem("canary", "is required: the canary's requests and errors series");
        if (!hasBaseline) r.problem("baseline", "is required: the baseline's requests and errors series");
        SpecReader canary = r.object("canary");
        SpecReader baseline = r.object("baseline");
        Duration window = Duration.ofSeconds(5);
        OpenMetricsSide cs = null, bs = null;
        PrometheusSide cq = null, bq = null;
        if (prometheus != null) {
            url(r, "prometheus", prometheus);
            if (endpoint != null) r.problem("endpoint", "cannot be combined with prometheus: read counters either from OpenMetrics endpoints or from Prometheus");
            if (r.has("window")) r.problem("window", "applies to OpenMetrics endpoints only (Prometheus is asked for the counts at the start of the bake)");
            if (hasCanary) cq = queries(canary);
            if (hasBaseline) bq = queries(baseline);
        } else {
            window = r.duration("window", window);
            if (window.isZero()) r.problem("window", "must be longer than 0s: the first interval is measured over it");
            if (endpoint != null) url(r, "endpoint", endpoint);
            if (hasCanary) cs = scrape(canary, endpoint);
            if (hasBaseline) bs = scrape(baseline, endpoint);
        }
        canary.finish();
        baseline.finish();
        return new SequentialSettings(alpha, minEffect, direction, minRequests, cs, bs, prometheus, cq, bq, window, timeout,
                tokenEnv, earlyPass);
    }

    /** {@code 1.5x}, {@code 1.5} (a ratio) or {@code 50%} (a relative increase, the same 1.5x). */
    private static double minEffect(SpecReader r) {
        JsonNode v = r.raw("minEffect");
        if (v == null) return DEFAULT_MIN_EFFECT;
        Double ratio = null;
        if (v.isNumber()) {
            ratio = v.asDouble();
        } else if (v.isTextual()) {
            Matcher m = EFFECT.matcher(v.asText());
            if (m.matches()) {
                double n = Double.parseDouble(m.group(1));
                ratio = "%".equals(m.group(2)) ? 1 + n / 100 : n;
            }
        }
        if (ratio == null || !(ratio > 1.0 && ratio <= 100)) {
            r.problem("minEffect", "must be the smallest regression worth catching as a ratio of canary to baseline rate"
                    + " above 1 (e.g. 1.5x, 2, or 50% for a 1.5x rate), at most 100x, not '" + v.asText() + "'");
            return DEFAULT_MIN_EFFECT;
        }
        return ratio;
    }

    private static void url(SpecReader r, String field, String url) {
        Templates.check(r, field, url);
        io.stagedrollout.core.plan.UrlRule.check(r, field, url, io.stagedrollout.core.plan.UrlRule.USE_TOKEN_ENV);
    }

    private static OpenMetricsSide scrape(SpecReader side, String defaultEndpoint) {
        String endpoint = side.string("endpoint").orElse(null);
        if (endpoint != null) {
            url(side, "endpoint", endpoint);
        } else if (defaultEndpoint == null) {
            side.problem("endpoint", "is required (here or at the gate's top level), or set prometheus: to query Prometheus");
        }
        String rt = side.requiredString("requests");
        String et = side.requiredString("errors");
        OpenMetrics.Selector rs = selector(side, "requests", rt);
        OpenMetrics.Selector es = selector(side, "errors", et);
        return new OpenMetricsSide(endpoint != null ? endpoint : defaultEndpoint, rs, es, rt, et);
    }

    private static OpenMetrics.Selector selector(SpecReader r, String field, String text) {
        if (text == null) return null;
        try {
            return OpenMetrics.selector(text);
        } catch (IllegalArgumentException e) {
            r.problem(field, e.getMessage());
            return null;
        }
    }

    private static PrometheusSide queries(SpecReader side) {
        if (side.has("endpoint")) side.problem("endpoint", "applies to OpenMetrics endpoints only; with prometheus: write PromQL queries");
        String rq = side.requiredString("requests");
        String eq = side.requiredString("errors");
        Templates.check(side, "requests", rq);
        Templates.check(side, "errors", eq);
        return new PrometheusSide(rq, eq);
    }
}
