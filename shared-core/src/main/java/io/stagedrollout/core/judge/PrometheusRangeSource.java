package io.stagedrollout.core.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.MeasureContext;
import io.stagedrollout.core.plan.Templates;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code source: {kind: prometheus, url, canary, baseline, step, window}}: two range queries through
 * {@code /api/v1/query_range} over the last {@code window} at {@code step}; every point of every returned series
 * is a sample. Placeholders such as {@code {{version}}} are escaped as PromQL string contents, then the whole query
 * is URL-encoded.
 */
final class PrometheusRangeSource implements SampleSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final String canaryQuery;
    private final String baselineQuery;
    private final Duration step;
    private final Duration window;
    private final Duration timeout;
    private final String tokenEnv;
    private final GateEnvironment env;

    PrometheusRangeSource(String url, String canaryQuery, String baselineQuery, Duration step, Duration window,
            Duration timeout, String tokenEnv, GateEnvironment env) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.canaryQuery = canaryQuery;
        this.baselineQuery = baselineQuery;
        this.step = step;
        this.window = window;
        this.timeout = timeout;
        this.tokenEnv = tokenEnv;
        this.env = env;
    }

    @Override
    public Samples fetch(MeasureContext ctx, Samples earlier) throws SourceException, InterruptedException {
        Instant end = ctx.now();
        Instant start = end.minus(window);
        double[] canary = range("canary", canaryQuery, ctx, start, end);
        double[] baseline = range("baseline", baselineQuery, ctx, start, end);
        return new Samples(canary, baseline, "prometheus range " + window.toSeconds() + "s at step " + step.toSeconds() + "s");
    }

    private double[] range(String which, String template, MeasureContext ctx, Instant start, Instant end)
            throws SourceException, InterruptedException {
        String query = Templates.render(template, ctx.variables(), PrometheusRangeSource::promqlString);
        String full = url + "/api/v1/query_range?query=" + Templates.urlEncode(query)
                + "&start=" + seconds(start) + "&end=" + seconds(end) + "&step=" + seconds(step);
        String body = HttpFetch.get(env, full, timeout, tokenEnv, "application/json");
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new SourceException("the " + which + " query answer is not JSON");
        }
        if (root == null || !"success".equals(root.path("status").asText())) {
            throw new SourceException("the " + which + " query failed: " + root.path("errorType").asText("?") + " "
                    + root.path("error").asText("(no error message)"));
        }
        JsonNode data = root.path("data");
        if (!"matrix".equals(data.path("resultType").asText())) {
            throw new SourceException("the " + which + " query returned a " + data.path("resultType").asText("missing")
                    + " result, not a range matrix");
        }
        JsonNode result = data.path("result");
        if (!result.isArray()) throw new SourceException("the " + which + " query answer has no result list");
        int total = 0;
        for (JsonNode series : result) total += series.path("values").size();
        double[] out = new double[total];
        int i = 0;
        for (JsonNode series : result) {
            JsonNode values = series.path("values");
            if (!values.isArray()) throw new SourceException("a " + which + " series has no values list");
            for (JsonNode point : values) {
                if (!point.isArray() || point.size() != 2) throw new SourceException("a " + which + " point is not [time, value]");
                out[i++] = Values.parse(point.get(1).asText(), which + " value");
            }
        }
        return out;
    }

    private static String seconds(Instant t) {
        return String.format(Locale.ROOT, "%.3f", t.toEpochMilli() / 1000.0);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
    }

    /** Escapes a value for a PromQL double-quoted string, so it cannot close the string or the selector. */
    static String promqlString(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("'", "\\'");
    }

    @Override
    public String describe() {
        return "prometheus " + HttpFetch.withoutQuery(url);
    }
}
