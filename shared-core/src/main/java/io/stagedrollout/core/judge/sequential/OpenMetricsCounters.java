package io.stagedrollout.core.judge.sequential;

import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.MeasureContext;
import io.stagedrollout.core.gate.kind.OpenMetrics;
import io.stagedrollout.core.plan.Templates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import io.stagedrollout.core.http.BoundedHttp;
import io.stagedrollout.core.text.Redact;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counters scraped from OpenMetrics / Prometheus text endpoints: one endpoint serving both versions' series (told
 * apart by labels), or one per side. An endpoint serving both sides is scraped once per reading. Each counter keeps
 * the value of every series it sums, so intervals are taken per series (see {@link Counters#since}).
 */
final class OpenMetricsCounters implements CounterSource {
    private final SequentialSettings s;
    private final GateEnvironment env;

    OpenMetricsCounters(SequentialSettings s, GateEnvironment env) {
        this.s = s;
        this.env = env;
    }

    @Override
    public Counters reference(MeasureContext ctx) throws CounterException, InterruptedException {
        Counters first = read(ctx);
        Thread.sleep(s.window().toMillis());
        return first;
    }

    @Override
    public Counters read(MeasureContext ctx) throws CounterException, InterruptedException {
        String cUrl = Templates.render(s.canaryScrape().endpoint(), ctx.variables(), Templates::urlEncode);
        String bUrl = Templates.render(s.baselineScrape().endpoint(), ctx.variables(), Templates::urlEncode);
        String cBody = scrape(cUrl);
        String bBody = bUrl.equals(cUrl) ? cBody : scrape(bUrl);
        Instant at = env.clock().instant();
        Map<String, Double> cr = required(cBody, s.canaryScrape().requests(), s.canaryScrape().requestsText(), cUrl);
        Map<String, Double> ce = optional(cBody, s.canaryScrape().errors(), s.canaryScrape().errorsText(), cUrl);
        Map<String, Double> br = required(bBody, s.baselineScrape().requests(), s.baselineScrape().requestsText(), bUrl);
        Map<String, Double> be = optional(bBody, s.baselineScrape().errors(), s.baselineScrape().errorsText(), bUrl);
        return new Counters(sum(cr), sum(ce), sum(br), sum(be), at, new Counters.Series(cr, ce, br, be));
    }

    private static Map<String, Double> required(String body, OpenMetrics.Selector sel, String text, String url) throws CounterException {
        Map<String, Double> v = series(body, sel, text, url);
        if (v.isEmpty()) throw new CounterException(url + " exposes no series matching " + text);
        return v;
    }

    /** An error series that does not exist yet means no error was counted yet: many exporters create it lazily. */
    private static Map<String, Double> optional(String body, OpenMetrics.Selector sel, String text, String url) throws CounterException {
        return series(body, sel, text, url);
    }

    /**
     * Each matching series' value, keyed by {@link Counters#key}: the interval is taken per series so that a restarted
     * process's series counts from zero. More than {@link Counters#MAX_SERIES} series is an error, not a pass.
     */
    private static Map<String, Double> series(String body, OpenMetrics.Selector sel, String text, String url) throws CounterException {
        Map<String, Double> found;
        try {
            found = OpenMetrics.series(body, sel);
        } catch (OpenMetrics.Malformed e) {
            throw new CounterException(Redact.url(url) + ": " + e.getMessage());
        }
        if (found.size() > Counters.MAX_SERIES) {
            throw new CounterException(Redact.url(url) + ": " + found.size() + " series match " + text + ", more than the "
                    + Counters.MAX_SERIES + " the sequential gate follows one by one; select fewer (aggregate them in the exporter or a recording rule)");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (var e : found.entrySet()) out.merge(Counters.key(e.getKey()), finite(e.getValue(), url), Double::sum);
        return out;
    }

    private static double sum(Map<String, Double> series) {
        double sum = 0;
        for (double v : series.values()) sum += v;
        return sum;
    }

    private static double finite(double v, String url) throws CounterException {
        if (!Double.isFinite(v) || v < 0) throw new CounterException(url + " exposes a counter that is not a finite, non-negative number: " + v);
        return v;
    }

    private String scrape(String url) throws CounterException, InterruptedException {
        String shown = Redact.url(url);
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(url)).timeout(s.timeout()).GET()
                    .header("Accept", "application/openmetrics-text, text/plain");
        } catch (IllegalArgumentException e) {
            throw new CounterException("not a valid URL: " + shown);
        }
        Bearer.add(b, s.tokenEnv(), env);
        BoundedHttp.Response resp;
        try {
            resp = BoundedHttp.send(env.http(), b.build(), s.timeout(), BoundedHttp.MAX_EXPOSITION);
        } catch (java.net.http.HttpTimeoutException e) {
            throw new CounterException("no complete answer from " + shown + " within " + s.timeout().toMillis() + " ms");
        } catch (IOException e) {
            throw new CounterException("cannot scrape " + shown + ": " + BoundedHttp.describe(e));
        }
        if (resp.status() / 100 != 2) throw new CounterException(shown + " answered HTTP " + resp.status());
        if (resp.truncated()) throw new CounterException(shown + " answered more than " + BoundedHttp.size(BoundedHttp.MAX_EXPOSITION) + " of metrics");
        return resp.text();
    }
}
