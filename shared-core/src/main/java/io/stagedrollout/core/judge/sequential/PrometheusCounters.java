package io.stagedrollout.core.judge.sequential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.MeasureContext;
import io.stagedrollout.core.plan.Templates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import io.stagedrollout.core.http.BoundedHttp;
import io.stagedrollout.core.text.Redact;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counters from Prometheus instant queries ({@code GET /api/v1/query?query=…&time=…}), each query returning one
 * cumulative count, e.g. {@code sum(http_requests_total{version="{{version}}"})}. Because Prometheus keeps history,
 * the first interval needs no waiting: the reference is the same queries evaluated at the start of the bake. A query
 * may return the counter's own series instead (e.g. {@code http_requests_total{version="{{version}}"}}): then each
 * series is diffed on its own and one that went down (a restarted process) counts from zero, which a sum cannot show.
 */
final class PrometheusCounters implements CounterSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SequentialSettings s;
    private final GateEnvironment env;

    PrometheusCounters(SequentialSettings s, GateEnvironment env) {
        this.s = s;
        this.env = env;
    }

    @Override
    public Counters read(MeasureContext ctx) throws CounterException, InterruptedException {
        return at(ctx, env.clock().instant(), false);
    }

    @Override
    public Counters reference(MeasureContext ctx) throws CounterException, InterruptedException {
        return at(ctx, ctx.bakeStartedAt(), true);
    }

    /** At the start of the bake the canary's series may not exist yet: then it had served nothing. */
    private Counters at(MeasureContext ctx, Instant time, boolean reference) throws CounterException, InterruptedException {
        Reading cr = query(ctx, s.canaryQueries().requests(), time, reference);
        Reading ce = query(ctx, s.canaryQueries().errors(), time, true);
        Reading br = query(ctx, s.baselineQueries().requests(), time, reference);
        Reading be = query(ctx, s.baselineQueries().errors(), time, true);
        return new Counters(cr.sum, ce.sum, br.sum, be.sum, time,
                Counters.Series.ofNullable(cr.series, ce.series, br.series, be.series));
    }

    /**
     * One query's count: the sum, and the value of each series when the query returned the counter's own series
     * (they carry {@code __name__}, e.g. {@code requests_total{version="2.0"}}); null series for a scalar or a computed
     * series such as {@code sum(...)}, which is diffed as one number (a computed sum that drops cannot say which
     * process restarted, so it stays an error rather than counting the whole sum again).
     */
    private record Reading(double sum, Map<String, Double> series) {}

    private Reading query(MeasureContext ctx, String template, Instant time, boolean emptyIsZero)
            throws CounterException, InterruptedException {
        String promql = Templates.render(template, ctx.variables(), PrometheusCounters::promqlString);
        String base = Templates.render(s.prometheus(), ctx.variables(), Templates::urlEncode);
        String url = base.replaceAll("/+$", "") + "/api/v1/query?query=" + Templates.urlEncode(promql)
                + "&time=" + String.format(Locale.ROOT, "%.3f", time.toEpochMilli() / 1000.0);
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(url)).timeout(s.timeout()).GET().header("Accept", "application/json");
        } catch (IllegalArgumentException e) {
            throw new CounterException("not a valid Prometheus URL: " + base);
        }
        Bearer.add(b, s.tokenEnv(), env);
        BoundedHttp.Response resp;
        try {
            resp = BoundedHttp.send(env.http(), b.build(), s.timeout(), BoundedHttp.MAX_DOCUMENT);
        } catch (java.net.http.HttpTimeoutException e) {
            throw new CounterException("Prometheus at " + Redact.url(base) + " did not answer within " + s.timeout().toMillis() + " ms");
        } catch (IOException e) {
            throw new CounterException("cannot query Prometheus at " + Redact.url(base) + ": " + BoundedHttp.describe(e));
        }
        if (resp.truncated()) {
            throw new CounterException("Prometheus answered more than " + BoundedHttp.size(BoundedHttp.MAX_DOCUMENT) + " for " + promql);
        }
        JsonNode root;
        try {
            root = JSON.readTree(resp.text());
            if (root == null) throw new IOException("empty");
        } catch (IOException e) {
            throw new CounterException("Prometheus answered HTTP " + resp.status() + " with something that is not JSON for " + promql);
        }
        if (!"success".equals(root.path("status").asText())) {
            throw new CounterException("Prometheus refused " + promql + " (HTTP " + resp.status() + "): "
                    + io.stagedrollout.core.text.Printable.escape(root.path("errorType").asText("") + " " + root.path("error").asText("")));
        }
        JsonNode data = root.path("data");
        switch (data.path("resultType").asText()) {
            case "scalar" -> {
                return new Reading(count(data.path("result"), promql), null);
            }
            case "vector" -> {
                JsonNode result = data.path("result");
                if (result.size() == 0) {
                    if (emptyIsZero) return new Reading(0, Map.of());
                    throw new CounterException("no data for " + promql + " at " + time);
                }
                if (result.size() > Counters.MAX_SERIES) {
                    throw new CounterException(promql + " returned " + result.size() + " series, more than the "
                            + Counters.MAX_SERIES + " the sequential gate follows one by one; select fewer, or wrap it in sum(...)");
                }
                boolean counterSeries = true;
                for (JsonNode r : result) counterSeries &= r.path("metric").has("__name__");
                if (!counterSeries) {
                    // computed (sum(...), sum by ...): one number, diffed as a whole; a drop is an error, not a restart
                    if (result.size() > 1) {
                        throw new CounterException(promql + " returned " + result.size() + " series, computed ones (without __name__); it must"
                                + " return one count (wrap it in sum(...)) or the counter's own series");
                    }
                    return new Reading(count(result.get(0).path("value"), promql), null);
                }
                // the counter's own series: each is diffed on its own, so a restarted process's series counts from zero
                Map<String, Double> series = new LinkedHashMap<>();
                double sum = 0;
                for (JsonNode r : result) {
                    double v = count(r.path("value"), promql);
                    series.merge(Counters.key(identity(r.path("metric"))), v, Double::sum);
                    sum += v;
                }
                return new Reading(sum, series);
            }
            default -> throw new CounterException(promql + " must return an instant vector or a scalar, not " + data.path("resultType").asText("nothing"));
        }
    }

    private static double count(JsonNode value, String promql) throws CounterException {
        double v;
        try {
            v = Double.parseDouble(value.path(1).asText());
        } catch (NumberFormatException e) {
            throw new CounterException(promql + " returned a value that is not a number: " + value.path(1).asText());
        }
        if (!Double.isFinite(v) || v < 0) throw new CounterException(promql + " returned " + v + ", not a count");
        return v;
    }

    /** A series' labels, sorted, as one string. */
    private static String identity(JsonNode metric) {
        Map<String, String> labels = new TreeMap<>();
        metric.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        StringBuilder sb = new StringBuilder("{");
        for (var e : labels.entrySet()) {
            sb.append(e.getKey()).append("=\"").append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"")).append("\",");
        }
        return sb.append('}').toString();
    }

    /** Escapes a value for a PromQL double-quoted string, so a version cannot change the query. */
    static String promqlString(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
