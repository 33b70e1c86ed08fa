package io.stagedrollout.core.judge;

import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.MeasureContext;
import io.stagedrollout.core.gate.kind.OpenMetrics;
import io.stagedrollout.core.plan.Templates;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * {@code source: {kind: openmetrics, url, canary: 'selector', baseline: 'selector'}}: for teams without Prometheus.
 * Every measurement scrapes the endpoint once and adds one value per group (the sum of the series the selector
 * matches, e.g. a latency gauge labelled by version) to the series built by the ring's earlier measurements.
 */
final class OpenMetricsSeriesSource implements SampleSource {
    private final String url;
    private final OpenMetrics.Selector canary;
    private final OpenMetrics.Selector baseline;
    private final String canaryText;
    private final String baselineText;
    private final Duration timeout;
    private final String tokenEnv;
    private final GateEnvironment env;

    OpenMetricsSeriesSource(String url, String canaryText, String baselineText, Duration timeout, String tokenEnv, GateEnvironment env) {
        this.url = url;
        this.canaryText = canaryText;
        this.baselineText = baselineText;
        this.canary = OpenMetrics.selector(canaryText);
        this.baseline = OpenMetrics.selector(baselineText);
        this.timeout = timeout;
        this.tokenEnv = tokenEnv;
        this.env = env;
    }

    @Override
    public Samples fetch(MeasureContext ctx, Samples earlier) throws SourceException, InterruptedException {
        String full = Templates.render(url, ctx.variables(), Templates::urlEncode);
        String body = HttpFetch.get(env, full, timeout, tokenEnv, "application/openmetrics-text, text/plain");
        OptionalDouble c;
        OptionalDouble b;
        try {
            c = OpenMetrics.sum(body, canary);
            b = OpenMetrics.sum(body, baseline);
        } catch (OpenMetrics.Malformed e) {
            throw new SourceException(HttpFetch.withoutQuery(full) + ": " + e.getMessage());
        }
        if (c.isEmpty() && b.isEmpty()) {
            throw new SourceException(HttpFetch.withoutQuery(full) + " exposes no series matching " + canaryText + " or " + baselineText);
        }
        double[] ec = earlier == null ? new double[0] : earlier.canary();
        double[] eb = earlier == null ? new double[0] : earlier.baseline();
        return new Samples(append(ec, c), append(eb, b), "openmetrics " + HttpFetch.withoutQuery(full) + ", "
                + (ec.length + (c.isPresent() ? 1 : 0)) + " scrapes");
    }

    private static double[] append(double[] a, OptionalDouble v) {
        if (v.isEmpty()) return a;
        double[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = v.getAsDouble();
        return out;
    }

    @Override
    public boolean accumulates() {
        return true;
    }

    @Override
    public String describe() {
        return "openmetrics " + HttpFetch.withoutQuery(url);
    }
}
