package io.stagedrollout.core.action.kind;

import io.stagedrollout.core.text.PlainJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.action.Action;
import io.stagedrollout.core.action.ActionEnvironment;
import io.stagedrollout.core.action.ActionKind;
import io.stagedrollout.core.action.ActionResult;
import io.stagedrollout.core.plan.ActionSpec;
import io.stagedrollout.core.plan.SpecReader;
import io.stagedrollout.core.plan.Templates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import io.stagedrollout.core.http.BoundedHttp;
import io.stagedrollout.core.text.Redact;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kind: webhook} — an HTTP call to a feature-flag service or deploy API. The body is JSON built by Jackson
 * (never string-pasted): {@code {"operation":"DEPLOY","rollout":{ROLLOUT_* values}}} plus the plan's static
 * {@code body} fields. A token comes from the environment variable named by {@code tokenEnv}. 5xx answers and
 * connection failures are retried with backoff.
 */
public final class WebhookAction implements ActionKind {

    record Config(String url, String method, Map<String, String> headers, Map<String, Object> body, String tokenEnv,
            Duration timeout, int retries) {}

    @Override
    public String kind() {
        return "webhook";
    }

    @Override
    public void validate(SpecReader r) {
        config(r);
    }

    static Config config(SpecReader r) {
        String url = r.requiredString("url");
        if (url != null) {
            Templates.check(r, "url", url);
            io.stagedrollout.core.plan.UrlRule.check(r, "url", url, "name the environment variable holding the token in tokenEnv");
        }
        String method = r.choice("method", "post", "post", "put", "patch").toUpperCase(Locale.ROOT);
        Map<String, String> headers = r.stringMap("headers");
        for (String h : headers.keySet()) {
            if (h.equalsIgnoreCase("authorization") || io.stagedrollout.core.text.Redact.isSecretName(h)) {
                r.problem("headers." + h, "must not hold a secret in the plan; name the variable holding the token in tokenEnv");
            }
        }
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        var b = r.raw("body");
        if (b != null) {
            if (b.isObject()) body = PlainJson.mapper().convertValue(b, Map.class);
            else r.problem("body", "must be a mapping of JSON fields");
        }
        String tokenEnv = r.string("tokenEnv").orElse(null);
        Duration timeout = r.duration("timeout", Duration.ofSeconds(30));
        int retries = r.integer("retries", 2, 0, 10);
        return new Config(url, method, headers, body, tokenEnv, timeout, retries);
    }

    @Override
    public Action open(ActionSpec spec, ActionEnvironment env) {
        Config c = config(SpecReader.of(spec.settings(), "actions." + spec.name(), new ArrayList<>()));
        return request -> {
            String target = Templates.render(c.url(), request.variables(), Templates::urlEncode);
            String url = Redact.url(target); // as shown in output and the journal
            ObjectNode body = PlainJson.mapper().valueToTree(c.body());
            body.put("operation", request.operation().name());
            ObjectNode rollout = body.putObject("rollout");
            request.variables().forEach(rollout::put);
            HttpRequest.Builder b;
            try {
                b = HttpRequest.newBuilder(URI.create(target));
            } catch (IllegalArgumentException e) {
                return ActionResult.failed("not a valid URL: " + url);
            }
            b.timeout(c.timeout())
                    .header("Content-Type", "application/json")
                    .method(c.method(), HttpRequest.BodyPublishers.ofString(body.toString()));
            c.headers().forEach(b::header);
            if (c.tokenEnv() != null) {
                String token = env.env().get(c.tokenEnv());
                if (token == null || token.isEmpty()) {
                    return ActionResult.failed("the environment variable " + c.tokenEnv() + " holding the webhook token is not set");
                }
                b.header("Authorization", "Bearer " + token);
            }
            String last = "";
            for (int attempt = 0; attempt <= c.retries(); attempt++) {
                if (attempt > 0) Thread.sleep(Math.min(10_000, 500L << attempt));
                try {
                    // timeout bounds the whole exchange; only the status matters, so little of the body is kept
                    int s = BoundedHttp.send(env.http(), b.build(), c.timeout(), BoundedHttp.MAX_ACKNOWLEDGEMENT).status();
                    if (s / 100 == 2) {
                        request.output().accept(c.method() + " " + url + " -> " + s);
                        return ActionResult.ok(c.method() + " " + url + " answered " + s);
                    }
                    last = c.method() + " " + url + " answered " + s;
                    if (s < 500 && s != 429) return ActionResult.failed(last);
                } catch (java.net.http.HttpTimeoutException e) {
                    last = "no complete answer from " + url + " within " + BoundedHttp.describe(c.timeout());
                } catch (IOException e) {
                    last = "cannot reach " + url + ": " + e.getClass().getSimpleName();
                }
                request.output().accept(last + (attempt < c.retries() ? "; retrying" : ""));
            }
            return ActionResult.failed(last + " after " + (c.retries() + 1) + " attempts");
        };
    }
}
