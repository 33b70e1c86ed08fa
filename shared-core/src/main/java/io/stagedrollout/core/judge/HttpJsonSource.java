package io.stagedrollout.core.judge;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.MeasureContext;
import io.stagedrollout.core.plan.Templates;
import java.io.IOException;
import java.time.Duration;

/**
 * {@code source: {kind: http, url, canary: /canary, baseline: /baseline}}: one GET returning JSON with both series,
 * found by JSON Pointer (defaults {@code /canary} and {@code /baseline}). Values are numbers, numeric strings,
 * null (NaN) or [time, value] pairs.
 */
final class HttpJsonSource implements SampleSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final JsonPointer canary;
    private final JsonPointer baseline;
    private final Duration timeout;
    private final String tokenEnv;
    private final GateEnvironment env;

    HttpJsonSource(String url, JsonPointer canary, JsonPointer baseline, Duration timeout, String tokenEnv, GateEnvironment env) {
        this.url = url;
        this.canary = canary;
        this.baseline = baseline;
        this.timeout = timeout;
        this.tokenEnv = tokenEnv;
        this.env = env;
    }

    @Override
    public Samples fetch(MeasureContext ctx, Samples earlier) throws SourceException, InterruptedException {
        String full = Templates.render(url, ctx.variables(), Templates::urlEncode);
        String body = HttpFetch.get(env, full, timeout, tokenEnv, "application/json");
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new SourceException(HttpFetch.withoutQuery(full) + " did not answer JSON");
        }
        if (root == null) throw new SourceException(HttpFetch.withoutQuery(full) + " answered nothing");
        JsonNode c = root.at(canary);
        JsonNode b = root.at(baseline);
        if (c.isMissingNode()) throw new SourceException("the answer has nothing at " + canary);
        if (b.isMissingNode()) throw new SourceException("the answer has nothing at " + baseline);
        return new Samples(Values.of(c, "canary " + canary), Values.of(b, "baseline " + baseline), "http " + HttpFetch.withoutQuery(full));
    }

    @Override
    public String describe() {
        return "http " + HttpFetch.withoutQuery(url);
    }
}
