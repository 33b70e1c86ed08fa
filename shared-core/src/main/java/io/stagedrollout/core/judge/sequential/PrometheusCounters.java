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
import java.util.Locale;

/**
 * Counters from Prometheus instant queries ({@code GET /api/v1/query?query=…&time=…}), each query returning one
 * cumulative count, e.g. {@code sum(http_requests_total{version="{{version}}"})}. Because Prometheus keeps history,
 * the first interval needs no waiting: the reference is the same queries evaluated at the start of the bake.
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
        double cr = query(ctx, s.canaryQueries().requests(), time, reference);
        double ce = query(ctx, s.canaryQueries().errors(), time, true);
        double br = query(ctx, s.baselineQueries().requests(), time, reference);
        double be = query(ctx, s.baselineQueries().errors(), time, true);
        return new Counters(cr, ce, br, be, time);
    }

    private double query(MeasureContext ctx, String template, Instant time, boolean emptyIsZero)
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
        JsonNode value;
        switch (data.path("resultType").asText()) {
            case "scalar" -> value = data.path("result");
            case "vector" -> {
                JsonNode result = data.path("result");
                if (result.size() == 0) {
                    if (emptyIsZero) return 0;
                    throw new CounterException("no data for " + promql + " at " + time);
                }
                if (result.size() > 1) {
                    throw new CounterException(promql + " returned " + result.size() + " series; it must return one count (wrap it in sum(...))");
                }
                value = result.get(0).path("value");
            }
            default -> throw new CounterException(promql + " must return an instant vector or a scalar, not " + data.path("resultType").asText("nothing"));
        }
        double v;
        try {
            v = Double.parseDouble(value.path(1).asText());
        } catch (NumberFormatException e) {
            throw new CounterException(promql + " returned a value that is not a number: " + value.path(1).asText());
        }
        if (!Double.isFinite(v) || v < 0) throw new CounterException(promql + " returned " + v + ", not a count");
        return v;
    }

    /** Escapes a value for a PromQL double-quoted string, so a version cannot change the query. */
    static String promqlString(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
