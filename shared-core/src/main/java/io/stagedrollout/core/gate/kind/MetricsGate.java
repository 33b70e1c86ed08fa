package io.stagedrollout.core.gate.kind;

import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.GateKind;
import io.stagedrollout.core.gate.GateProbe;
import io.stagedrollout.core.gate.GateRules;
import io.stagedrollout.core.gate.MeasureContext;
import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.Outcome;
import io.stagedrollout.core.gate.Thresholds;
import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.SpecReader;
import io.stagedrollout.core.plan.Templates;
import io.stagedrollout.core.plan.UrlRule;
import io.stagedrollout.core.http.BoundedHttp;
import io.stagedrollout.core.text.Printable;
import io.stagedrollout.core.text.Redact;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code kind: metrics} — for teams without Prometheus: scrape an OpenMetrics endpoint and judge the ratio of two
 * counters' increases since the previous scrape, e.g. error ratio = Δerrors / Δrequests.
 * <pre>
 * error-rate: {kind: metrics, endpoint: "http://127.0.0.1:8080/metrics",
 *              errors: 'http_requests_errors_total{version="canary"}', total: 'http_requests_total{version="canary"}',
 *              max: 0.01, minRequests: 20, window: 5s, interval: 30s, failureLimit: 1}
 * </pre>
 * The first measurement of a ring (or after a restart, when no earlier counters are kept) scrapes twice,
 * {@code window} apart. Increases are taken per series, the way Prometheus' {@code increase()} does: a series whose
 * counter went down was reset (a restarted pod) and its new value is its increase; a series that appeared since the
 * last scrape counts whole; one that disappeared counts nothing. (Summing first would hide a reset behind the other
 * series' growth.) Too little traffic is INCONCLUSIVE: no data never passes.
 */
public final class MetricsGate implements GateKind {
    static final String ERRORS = "errors";
    static final String TOTAL = "total";
    static final String SCRAPED_AT = "scrapedAt";
    /** Per-series counter values of a scrape, kept with the measurement so the next one can take increases per series. */
    static final String ERROR_SERIES = "errorSeries";
    static final String TOTAL_SERIES = "totalSeries";
    /** Series kept per counter in a measurement's data; with more, increases fall back to the sums. */
    static final int MAX_KEPT_SERIES = 200;

    record Config(String endpoint, OpenMetrics.Selector errors, OpenMetrics.Selector total, String errorsText,
            String totalText, Thresholds thresholds, double minRequests, Duration window, Duration timeout, String tokenEnv) {}

    @Override
    public String kind() {
        return "metrics";
    }

    @Override
    public void validate(SpecReader r) {
        config(r);
    }

    static Config config(SpecReader r) {
        String endpoint = r.requiredString("endpoint");
        if (endpoint != null) {
            Templates.check(r, "endpoint", endpoint);
            UrlRule.check(r, "endpoint", endpoint, UrlRule.USE_TOKEN_ENV);
        }
        OpenMetrics.Selector errors = selector(r, ERRORS);
        OpenMetrics.Selector total = selector(r, TOTAL);
        Thresholds t = Thresholds.read(r);
        double minRequests = r.number("minRequests").orElse(1.0);
        if (minRequests < 1) r.problem("minRequests", "must be at least 1");
        Duration window = r.duration("window", Duration.ofSeconds(5));
        Duration timeout = r.duration("timeout", Duration.ofSeconds(5));
        String tokenEnv = r.string("tokenEnv").orElse(null);
        return new Config(endpoint, errors, total, r.string(ERRORS, null), r.string(TOTAL, null), t, minRequests,
                window, timeout, tokenEnv);
    }

    private static OpenMetrics.Selector selector(SpecReader r, String field) {
        String text = r.requiredString(field);
        if (text == null) return null;
        try {
            return OpenMetrics.selector(text);
        } catch (IllegalArgumentException e) {
            r.problem(field, e.getMessage());
            return null;
        }
    }

    @Override
    public GateProbe open(GateSpec spec, GateEnvironment env) {
        Config c = config(SpecReader.of(spec.settings(), spec.name(), new ArrayList<>()));
        return new Probe(spec.name(), c, env);
    }

    /** A scrape: the sums, and (when known) each series' value. */
    private record Scrape(double errors, double total, Map<String, Double> errorSeries, Map<String, Double> totalSeries, Instant at) {}

    /**
     * How much the counters grew from {@code before} to {@code now}, per series when both scrapes kept them, else
     * from the sums (an older measurement, or more series than are kept).
     */
    static double increase(double beforeSum, double nowSum, Map<String, Double> before, Map<String, Double> now) {
        if (before == null || now == null) return nowSum >= beforeSum ? nowSum - beforeSum : nowSum;
        double sum = 0;
        for (var e : now.entrySet()) {
            Double b = before.get(e.getKey());
            double v = e.getValue();
            sum += b == null ? v : v >= b ? v - b : v;
        }
        return sum;
    }

    private record Probe(String gate, Config c, GateEnvironment env) implements GateProbe {
        @Override
        public Measurement measure(MeasureContext ctx) throws InterruptedException {
            String url = Templates.render(c.endpoint(), ctx.variables(), Templates::urlEncode);
            // (scrape() shows it redacted)
            Scrape before = previous(ctx);
            Object nowOrError;
            if (before == null) {
                Object first = scrape(url);
                if (first instanceof String error) return Measurement.error(gate, env.clock().instant(), error);
                before = (Scrape) first;
                Thread.sleep(c.window().toMillis());
            }
            nowOrError = scrape(url);
            if (nowOrError instanceof String error) return Measurement.error(gate, env.clock().instant(), error);
            Scrape now = (Scrape) nowOrError;
            double dErrors = increase(before.errors(), now.errors(), before.errorSeries(), now.errorSeries());
            double dTotal = increase(before.total(), now.total(), before.totalSeries(), now.totalSeries());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put(ERRORS, now.errors());
            data.put(TOTAL, now.total());
            data.put(SCRAPED_AT, now.at().toString());
            if (now.errorSeries() != null) data.put(ERROR_SERIES, now.errorSeries());
            if (now.totalSeries() != null) data.put(TOTAL_SERIES, now.totalSeries());
            data.put("deltaErrors", dErrors);
            data.put("deltaTotal", dTotal);
            if (dTotal < c.minRequests()) {
                return new Measurement(gate, now.at(), Outcome.INCONCLUSIVE, null, "only " + GateRules.number(dTotal)
                        + " requests since the last scrape (minRequests " + GateRules.number(c.minRequests())
                        + "): not enough data to judge", data);
            }
            double ratio = dErrors / dTotal;
            Outcome o = c.thresholds().judge(ratio);
            return new Measurement(gate, now.at(), o, ratio, "error ratio " + c.thresholds().explain(ratio) + " ("
                    + GateRules.number(dErrors) + " of " + GateRules.number(dTotal) + " requests)", data);
        }

        private Scrape previous(MeasureContext ctx) {
            List<Measurement> prev = ctx.previous();
            for (int i = prev.size() - 1; i >= 0; i--) {
                Map<String, Object> d = prev.get(i).data();
                if (d.get(ERRORS) instanceof Number e && d.get(TOTAL) instanceof Number t && d.get(SCRAPED_AT) instanceof String at) {
                    return new Scrape(e.doubleValue(), t.doubleValue(), kept(d.get(ERROR_SERIES)), kept(d.get(TOTAL_SERIES)), parseInstant(at));
                }
            }
            return null;
        }

        /**
         * Series by a short fingerprint of their labels instead of the labels themselves: the journal keeps what it
         * needs to tell series apart, never a label value (which may be long, or carry what an exporter should not
         * have exposed).
         */
        private static Map<String, Double> fingerprints(Map<String, Double> series) {
            Map<String, Double> out = new LinkedHashMap<>();
            try {
                var sha = java.security.MessageDigest.getInstance("SHA-256");
                for (var e : series.entrySet()) {
                    byte[] d = sha.digest(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    out.merge(java.util.HexFormat.of().formatHex(d, 0, 8), e.getValue(), Double::sum);
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e); // every JDK has SHA-256
            }
            return out;
        }

        /** Series values read back from a stored measurement; null when absent or not numbers. */
        private static Map<String, Double> kept(Object o) {
            if (!(o instanceof Map<?, ?> m)) return null;
            Map<String, Double> out = new LinkedHashMap<>();
            for (var e : m.entrySet()) {
                if (!(e.getValue() instanceof Number n)) return null;
                out.put(String.valueOf(e.getKey()), n.doubleValue());
            }
            return out;
        }

        private static Instant parseInstant(String at) {
            try {
                return Instant.parse(at);
            } catch (RuntimeException e) {
                return Instant.EPOCH;
            }
        }

        /** A Scrape, or a String saying what went wrong. */
        private Object scrape(String target) throws InterruptedException {
            String url = Redact.url(target);
            HttpRequest.Builder b;
            try {
                b = HttpRequest.newBuilder(URI.create(target)).timeout(c.timeout()).GET()
                        .header("Accept", "application/openmetrics-text, text/plain");
            } catch (IllegalArgumentException e) {
                return "not a valid URL: " + url;
            }
            if (c.tokenEnv() != null) {
                String token = env.env().get(c.tokenEnv());
                if (token == null || token.isEmpty()) return "the environment variable " + c.tokenEnv() + " holding the token is not set";
                b.header("Authorization", "Bearer " + token);
            }
            BoundedHttp.Response resp;
            try {
                resp = BoundedHttp.send(env.http(), b.build(), c.timeout(), BoundedHttp.MAX_EXPOSITION);
            } catch (java.net.http.HttpTimeoutException e) {
                return "no complete answer from " + url + " within " + BoundedHttp.describe(c.timeout());
            } catch (IOException e) {
                return "cannot scrape " + url + ": " + BoundedHttp.describe(e);
            }
            if (resp.status() / 100 != 2) return url + " answered HTTP " + resp.status();
            if (resp.truncated()) return url + " answered more than " + BoundedHttp.size(BoundedHttp.MAX_EXPOSITION) + " of metrics";
            Map<String, Double> errors;
            Map<String, Double> total;
            try {
                String body = resp.text();
                errors = OpenMetrics.series(body, c.errors());
                total = OpenMetrics.series(body, c.total());
            } catch (OpenMetrics.Malformed e) {
                return url + ": " + e.getMessage();
            }
            if (total.isEmpty()) return url + " exposes no series matching " + Printable.escape(c.totalText());
            double errorSum = 0, totalSum = 0;
            for (double v : errors.values()) errorSum += v;
            for (double v : total.values()) totalSum += v;
            if (!Double.isFinite(totalSum) || !Double.isFinite(errorSum)) return url + " exposes a counter that is not a finite number";
            // no error series at all means no error was ever counted (many exporters create it lazily)
            boolean keep = errors.size() <= MAX_KEPT_SERIES && total.size() <= MAX_KEPT_SERIES;
            return new Scrape(errorSum, totalSum, keep ? fingerprints(errors) : null, keep ? fingerprints(total) : null, env.clock().instant());
        }
    }
}
