package io.stagedrollout.core.judge;

import com.fasterxml.jackson.core.JsonPointer;
import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.kind.OpenMetrics;
import io.stagedrollout.core.plan.SpecReader;
import io.stagedrollout.core.plan.Templates;
import java.time.Duration;

/** A metric's {@code source:} as validated from the plan; {@link #open} makes the live source. */
public record SourceSpec(String kind, String url, String canary, String baseline, Duration step, Duration window,
        Duration timeout, String tokenEnv, String path, String metric) {

    public static final String PROMETHEUS = "prometheus";
    public static final String HTTP = "http";
    public static final String FILE = "file";
    public static final String OPENMETRICS = "openmetrics";

    /** Reads and checks {@code r} (the {@code source} mapping); {@code metricName} is the default file metric. */
    static SourceSpec read(SpecReader r, String metricName) {
        String kind = r.choice("kind", null, PROMETHEUS, HTTP, FILE, OPENMETRICS);
        if (kind == null && !r.has("kind")) r.problem("kind", "is required: prometheus, http, file or openmetrics");
        Duration timeout = r.duration("timeout", Duration.ofSeconds(10));
        if (timeout.isZero()) r.problem("timeout", "must be more than 0s");
        String url = null, canary = null, baseline = null, tokenEnv = null, path = null, metric = null;
        Duration step = null, window = null;
        if (PROMETHEUS.equals(kind) || HTTP.equals(kind) || OPENMETRICS.equals(kind)) {
            url = url(r);
            tokenEnv = r.string("tokenEnv").orElse(null);
        }
        if (PROMETHEUS.equals(kind)) {
            canary = r.requiredString("canary");
            baseline = r.requiredString("baseline");
            Templates.check(r, "canary", canary);
            Templates.check(r, "baseline", baseline);
            step = r.duration("step", Duration.ofSeconds(10));
            window = r.duration("window", Duration.ofMinutes(5));
            if (step.toMillis() < 1000) r.problem("step", "must be at least 1s");
            if (window.compareTo(step) < 0) r.problem("window", "must be at least one step (" + step.toSeconds() + "s)");
            else if (window.toMillis() / Math.max(1, step.toMillis()) > 11_000) {
                r.problem("window", "covers more than 11000 steps, which Prometheus refuses; use a larger step");
            }
        } else if (HTTP.equals(kind)) {
            canary = pointer(r, "canary");
            baseline = pointer(r, "baseline");
        } else if (OPENMETRICS.equals(kind)) {
            canary = selector(r, "canary");
            baseline = selector(r, "baseline");
        } else if (FILE.equals(kind)) {
            path = r.requiredString("path");
            metric = r.string("metric", metricName);
        }
        r.finish();
        return new SourceSpec(kind, url, canary, baseline, step, window, timeout, tokenEnv, path, metric);
    }

    private static String url(SpecReader r) {
        String url = r.requiredString("url");
        if (url != null) {
            Templates.check(r, "url", url);
            io.stagedrollout.core.plan.UrlRule.check(r, "url", url, io.stagedrollout.core.plan.UrlRule.USE_TOKEN_ENV);
        }
        return url;
    }

    private static String pointer(SpecReader r, String field) {
        String p = r.string(field, "/" + field);
        try {
            JsonPointer.compile(p);
        } catch (IllegalArgumentException e) {
            r.problem(field, "is not a JSON Pointer (write /canary or /data/canary): '" + p + "'");
        }
        return p;
    }

    private static String selector(SpecReader r, String field) {
        String s = r.requiredString(field);
        if (s == null) return null;
        try {
            OpenMetrics.selector(s);
        } catch (IllegalArgumentException e) {
            r.problem(field, e.getMessage());
        }
        return s;
    }

    SampleSource open(GateEnvironment env) {
        return switch (kind) {
            case PROMETHEUS -> new PrometheusRangeSource(url, canary, baseline, step, window, timeout, tokenEnv, env);
            case HTTP -> new HttpJsonSource(url, JsonPointer.compile(canary), JsonPointer.compile(baseline), timeout, tokenEnv, env);
            case OPENMETRICS -> new OpenMetricsSeriesSource(url, canary, baseline, timeout, tokenEnv, env);
            case FILE -> new FileSource(env.workDir().resolve(path), metric);
            default -> throw new IllegalStateException("unknown source kind " + kind);
        };
    }
}
