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
 * {@code window} apart. A counter that went down was reset, and its new value is the increase. Too little traffic
 * is INCONCLUSIVE: no data never passes.
 */
public final class MetricsGate implements GateKind {
    static final String ERRORS = "errors";
    static final String TOTAL = "total";
    static final String SCRAPED_AT = "scrapedAt";

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

    private record Scrape(double errors, double total, Instant at) {}

    private record Probe(String gate, Config c, GateEnvironment env) implements GateProbe {
        @Override
        public Measurement measure(MeasureContext ctx) throws InterruptedException {
            String url = Templates.render(c.endpoint(), ctx.variables(), Templates::urlEncode);
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
            // a counter that went down was reset; its current value is what accrued since
            double dErrors = now.errors() >= before.errors() ? now.errors() - before.errors() : now.errors();
            double dTotal = now.total() >= before.total() ? now.total() - before.total() : now.total();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put(ERRORS, now.errors());
            data.put(TOTAL, now.total());
            data.put(SCRAPED_AT, now.at().toString());
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
                    return new Scrape(e.doubleValue(), t.doubleValue(), Instant.parse(at));
                }
            }
            return null;
        }

        /** A Scrape, or a String saying what went wrong. */
        private Object scrape(String url) throws InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(c.timeout()).GET()
                    .header("Accept", "application/openmetrics-text, text/plain");
            if (c.tokenEnv() != null) {
                String token = env.env().get(c.tokenEnv());
                if (token == null || token.isEmpty()) return "the environment variable " + c.tokenEnv() + " holding the token is not set";
                b.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> resp;
            try {
                resp = env.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpTimeoutException e) {
                return "no answer from " + url + " within " + c.timeout().toMillis() + " ms";
            } catch (IOException e) {
                return "cannot scrape " + url + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
            }
            if (resp.statusCode() / 100 != 2) return url + " answered HTTP " + resp.statusCode();
            OptionalDouble errors = OpenMetrics.sum(resp.body(), c.errors());
            OptionalDouble total = OpenMetrics.sum(resp.body(), c.total());
            if (total.isEmpty()) return url + " exposes no series matching " + c.totalText();
            if (!Double.isFinite(total.getAsDouble()) || (errors.isPresent() && !Double.isFinite(errors.getAsDouble()))) {
                return url + " exposes a counter that is not a finite number";
            }
            // no error series at all means no error was ever counted (many exporters create it lazily)
            return new Scrape(errors.orElse(0), total.getAsDouble(), env.clock().instant());
        }
    }
}
