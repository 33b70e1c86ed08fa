package io.stagedrollout.core.gate.kind;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagedrollout.core.text.PlainJson;
import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.GateKind;
import io.stagedrollout.core.gate.GateProbe;
import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.Outcome;
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
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code kind: http} — a probe of an HTTP endpoint: the status code, optionally the latency and a JSON field.
 * <pre>
 * smoke: {kind: http, url: "http://127.0.0.1:8080/healthz", expectStatus: 200, timeout: 2s,
 *         maxLatency: 500ms, json: {pointer: /status, equals: UP}, tokenEnv: HEALTH_TOKEN}
 * </pre>
 */
public final class HttpGate implements GateKind {

    record Config(String url, String method, List<Integer> expectStatus, Duration timeout, Duration maxLatency,
            String jsonPointer, String jsonEquals, String tokenEnv) {}

    @Override
    public String kind() {
        return "http";
    }

    @Override
    public void validate(SpecReader r) {
        config(r);
    }

    static Config config(SpecReader r) {
        String url = r.requiredString("url");
        if (url != null) {
            Templates.check(r, "url", url);
            UrlRule.check(r, "url", url, UrlRule.USE_TOKEN_ENV);
        }
        String method = r.choice("method", "get", "get", "head", "post").toUpperCase(java.util.Locale.ROOT);
        List<Integer> statuses = new ArrayList<>();
        JsonNode s = r.raw("expectStatus");
        if (s == null) statuses.add(200);
        else if (s.isInt()) statuses.add(s.asInt());
        else if (s.isArray()) s.forEach(e -> statuses.add(e.asInt()));
        else r.problem("expectStatus", "must be a status code or a list of them");
        for (int code : statuses) {
            if (code < 100 || code > 599) r.problem("expectStatus", "is not an HTTP status: " + code);
        }
        Duration timeout = r.duration("timeout", Duration.ofSeconds(5));
        Duration maxLatency = r.optionalDuration("maxLatency").orElse(null);
        SpecReader json = r.object("json");
        String pointer = json.string("pointer").orElse(null);
        String equals = json.string("equals").orElse(null);
        if (pointer != null && !pointer.startsWith("/")) json.problem("pointer", "must be a JSON pointer starting with '/'");
        if (equals != null && pointer == null) json.problem("pointer", "is required when equals is set");
        json.finish();
        String tokenEnv = r.string("tokenEnv").orElse(null);
        return new Config(url, method, statuses, timeout, maxLatency, pointer, equals, tokenEnv);
    }

    @Override
    public GateProbe open(GateSpec spec, GateEnvironment env) {
        Config c = config(SpecReader.of(spec.settings(), spec.name(), new ArrayList<>()));
        return ctx -> {
            String target = Templates.render(c.url(), ctx.variables(), Templates::urlEncode);
            String url = Redact.url(target); // the URL as shown: a stored plan from before the URL rule may carry a secret
            HttpRequest.Builder b;
            try {
                b = HttpRequest.newBuilder(URI.create(target)).timeout(c.timeout()).method(c.method(), HttpRequest.BodyPublishers.noBody());
            } catch (IllegalArgumentException e) {
                return Measurement.error(spec.name(), env.clock().instant(), "not a valid URL: " + url);
            }
            if (c.tokenEnv() != null) {
                String token = env.env().get(c.tokenEnv());
                if (token == null || token.isEmpty()) {
                    return Measurement.error(spec.name(), env.clock().instant(), "the environment variable " + c.tokenEnv() + " holding the token is not set");
                }
                b.header("Authorization", "Bearer " + token);
            }
            long t0 = System.nanoTime();
            BoundedHttp.Response resp;
            try {
                // timeout is a deadline for the whole exchange: a body that trickles in is an error on time
                resp = BoundedHttp.send(env.http(), b.build(), c.timeout(), BoundedHttp.MAX_DOCUMENT);
            } catch (HttpTimeoutException e) {
                return Measurement.error(spec.name(), env.clock().instant(), "no complete answer from " + url + " within "
                        + BoundedHttp.describe(c.timeout()));
            } catch (IOException e) {
                return Measurement.error(spec.name(), env.clock().instant(), "cannot reach " + url + ": " + BoundedHttp.describe(e));
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            var at = env.clock().instant();
            Map<String, Object> data = Map.of("status", resp.status(), "latencyMs", Math.round(ms));
            if (!c.expectStatus().contains(resp.status())) {
                return new Measurement(spec.name(), at, Outcome.FAIL, (double) resp.status(),
                        c.method() + " " + url + " answered " + resp.status() + ", expected " + c.expectStatus(), data);
            }
            if (c.maxLatency() != null && ms > c.maxLatency().toMillis()) {
                return new Measurement(spec.name(), at, Outcome.FAIL, ms, String.format(java.util.Locale.ROOT,
                        "%s took %.0f ms > maxLatency %d ms", url, ms, c.maxLatency().toMillis()), data);
            }
            if (c.jsonPointer() != null) {
                if (resp.truncated()) {
                    return new Measurement(spec.name(), at, Outcome.ERROR, null, url + " answered more than "
                            + BoundedHttp.size(BoundedHttp.MAX_DOCUMENT) + "; a health answer is expected to be small", data);
                }
                JsonNode field;
                try {
                    JsonNode root = PlainJson.mapper().readTree(resp.text());
                    field = root == null ? null : root.at(c.jsonPointer());
                } catch (IOException e) {
                    return new Measurement(spec.name(), at, Outcome.ERROR, null, url + " did not answer JSON", data);
                }
                if (field == null || field.isMissingNode()) {
                    return new Measurement(spec.name(), at, Outcome.INCONCLUSIVE, null, url + " has no field " + c.jsonPointer(), data);
                }
                if (c.jsonEquals() != null && !c.jsonEquals().equals(field.asText())) {
                    return new Measurement(spec.name(), at, Outcome.FAIL, null, url + " " + c.jsonPointer() + " is '"
                            + Printable.escape(abbreviate(field.asText())) + "', expected '" + Printable.escape(c.jsonEquals()) + "'", data);
                }
            }
            return new Measurement(spec.name(), at, Outcome.PASS, ms, String.format(java.util.Locale.ROOT,
                    "%s answered %d in %.0f ms", url, resp.status(), ms), data);
        };
    }

    static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
