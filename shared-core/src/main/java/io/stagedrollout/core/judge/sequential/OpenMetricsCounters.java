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
import java.util.OptionalDouble;

/**
 * Counters scraped from OpenMetrics / Prometheus text endpoints: one endpoint serving both versions' series (told
 * apart by labels), or one per side. An endpoint serving both sides is scraped once per reading.
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
        double cr = required(cBody, s.canaryScrape().requests(), s.canaryScrape().requestsText(), cUrl);
        double ce = optional(cBody, s.canaryScrape().errors(), cUrl);
        double br = required(bBody, s.baselineScrape().requests(), s.baselineScrape().requestsText(), bUrl);
        double be = optional(bBody, s.baselineScrape().errors(), bUrl);
        return new Counters(cr, ce, br, be, at);
    }

    private static double required(String body, OpenMetrics.Selector sel, String text, String url) throws CounterException {
        OptionalDouble v = sum(body, sel, url);
        if (v.isEmpty()) throw new CounterException(url + " exposes no series matching " + text);
        return finite(v.getAsDouble(), url);
    }

    /** An error series that does not exist yet means no error was counted yet: many exporters create it lazily. */
    private static double optional(String body, OpenMetrics.Selector sel, String url) throws CounterException {
        OptionalDouble v = sum(body, sel, url);
        return v.isEmpty() ? 0 : finite(v.getAsDouble(), url);
    }

    private static OptionalDouble sum(String body, OpenMetrics.Selector sel, String url) throws CounterException {
        try {
            return OpenMetrics.sum(body, sel);
        } catch (OpenMetrics.Malformed e) {
            throw new CounterException(Redact.url(url) + ": " + e.getMessage());
        }
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
