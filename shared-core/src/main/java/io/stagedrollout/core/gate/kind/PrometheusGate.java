package io.stagedrollout.core.gate.kind;

import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.GateKind;
import io.stagedrollout.core.gate.GateProbe;
import io.stagedrollout.core.gate.GateRules;
import io.stagedrollout.core.gate.MeasureContext;
import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.Outcome;
import io.stagedrollout.core.gate.Thresholds;
import io.stagedrollout.core.http.BoundedHttp;
import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.SpecReader;
import io.stagedrollout.core.plan.Templates;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code kind: prometheus} — an instant PromQL query through the Prometheus HTTP API ({@code /api/v1/query}),
 * judged by {@code min} / {@code max} with a {@code marginal} band. Works with anything that serves that API
 * (Prometheus, Thanos, Mimir, Cortex, VictoriaMetrics).
 * <pre>
 * error-rate:
 *   kind: prometheus
 *   address: https://prometheus.example.com
 *   query: |
 *     sum(rate(http_requests_total{service={{service}}, version={{version}}, code=~"5.."}[5m]))
 *       / sum(rate(http_requests_total{service={{service}}, version={{version}}}[5m]))
 *   label: error ratio
 *   max: 0.01
 *   marginal: 0.002
 *   tokenEnv: PROM_TOKEN          # or username/usernameEnv + passwordEnv for basic auth
 *   timeout: 10s
 * </pre>
 * Without {@code address} the gate asks the server in {@code ROLLOUT_METRICS_URL} (one setting for a whole CI
 * system) and, unless the gate names its own credentials, sends {@code ROLLOUT_METRICS_TOKEN} as a bearer token
 * to that server only. No data (an empty vector) is INCONCLUSIVE; NaN, several series, a refused query, an HTTP error, a malformed
 * answer, a timeout or an unreachable server is an ERROR. None of them ever passes. Credentials are read from the
 * environment variables the plan names, at measurement time, and appear in no summary.
 */
public final class PrometheusGate implements GateKind {
    static final String QUERY_PATH = "/api/v1/query";
    /** Bigger answers are a query mistake (a missing aggregation over many series), not something to buffer. */
    static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;
    /** The server used when a gate has no {@code address}: one setting for a whole CI system (Jenkins, GitLab group). */
    public static final String DEFAULT_URL_ENV = "ROLLOUT_METRICS_URL";
    /** A bearer token sent only to the server of {@link #DEFAULT_URL_ENV}, never to an address a plan names. */
    public static final String DEFAULT_TOKEN_ENV = "ROLLOUT_METRICS_TOKEN";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    /** Headers the JDK HTTP client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    record Config(URI endpoint, String query, PromQlTemplate template, Thresholds thresholds, String label,
            Duration timeout, String method, String tokenEnv, String username, String usernameEnv, String passwordEnv,
            Map<String, String> headers) {}

    @Override
    public String kind() {
        return "prometheus";
    }

    @Override
    public void validate(SpecReader r) {
        config(r);
    }

    static Config config(SpecReader r) {
        URI endpoint = endpoint(r);
        String query = r.requiredString("query");
        PromQlTemplate template = null;
        if (query != null) {
            if (query.isBlank()) r.problem("query", "is empty: write the PromQL expression whose value the gate judges");
            Templates.check(r, "query", query);
            template = PromQlTemplate.parse(query);
            if (template.hasPlaceholderInRawString()) {
                r.problem("query", "has a placeholder inside a `raw` string, where a value cannot be escaped; "
                        + "use \"double quotes\" or write version={{version}} without quotes");
            }
        }
        Thresholds thresholds = Thresholds.read(r);
        String label = r.string("label", "value");
        Duration timeout = r.duration("timeout", Duration.ofSeconds(10));
        if (timeout.isZero() || timeout.isNegative()) r.problem("timeout", "must be longer than 0s");
        String method = r.choice("method", "get", "get", "post").toUpperCase(Locale.ROOT);

        for (String secret : new String[] {"token", "bearerToken", "password"}) {
            if (r.has(secret)) {
                r.problem(secret, "secrets never go in a plan: put it in an environment variable and name that variable with "
                        + (secret.equals("password") ? "passwordEnv" : "tokenEnv"));
            }
        }
        String tokenEnv = envName(r, "tokenEnv");
        String username = r.string("username").orElse(null);
        String usernameEnv = envName(r, "usernameEnv");
        String passwordEnv = envName(r, "passwordEnv");
        boolean basic = username != null || usernameEnv != null || passwordEnv != null;
        if (username != null && usernameEnv != null) r.problem("usernameEnv", "conflicts with username: give one of them");
        if (basic && passwordEnv == null) r.problem("passwordEnv", "is required for basic auth (with username or usernameEnv)");
        if (passwordEnv != null && username == null && usernameEnv == null) {
            r.problem("username", "is required for basic auth (or usernameEnv)");
        }
        if (basic && tokenEnv != null) r.problem("tokenEnv", "conflicts with basic auth: use a bearer token or a username and password, not both");

        Map<String, String> headers = r.stringMap("headers");
        headers.forEach((name, value) -> {
            if (!HEADER_NAME.matcher(name).matches()) r.problem("headers." + name, "is not a valid HTTP header name");
            if (name.equalsIgnoreCase("authorization") || io.stagedrollout.core.text.Redact.isSecretName(name)) {
                r.problem("headers." + name, "secrets never go in a plan: use tokenEnv, or username and passwordEnv");
            }
            if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) r.problem("headers." + name, "is set by the HTTP client itself");
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) r.problem("headers." + name, "must be one line");
        });
        return new Config(endpoint, query, template, thresholds, label, timeout, method, tokenEnv, username,
                usernameEnv, passwordEnv, headers);
    }

    private static URI endpoint(SpecReader r) {
        String address = r.string("address").orElse(null);
        if (address == null) return null; // ROLLOUT_METRICS_URL at measurement time
        try {
            return queryEndpoint(address);
        } catch (IllegalArgumentException e) {
            r.problem("address", e.getMessage());
            return null;
        }
    }

    /** The {@code /api/v1/query} URL under a server's base URL; the message says what is wrong with it. */
    static URI queryEndpoint(String address) {
        URI uri;
        try {
            uri = new URI(address.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("must be an http:// or https:// URL with a host, like http://prometheus:9090");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not carry credentials: use username and passwordEnv, or tokenEnv");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("must not have a query or fragment: give the server's base URL (the API path is added)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        if (path.endsWith(QUERY_PATH)) path = path.substring(0, path.length() - QUERY_PATH.length());
        return URI.create(scheme + "://" + uri.getRawAuthority() + path + QUERY_PATH);
    }

    private static String envName(SpecReader r, String field) {
        String name = r.string(field).orElse(null);
        if (name != null && !ENV_NAME.matcher(name).matches()) {
            r.problem(field, "must be the NAME of an environment variable (letters, digits, _), not its value");
            return null;
        }
        return name;
    }

    @Override
    public GateProbe open(GateSpec spec, GateEnvironment env) {
        var problems = new ArrayList<io.stagedrollout.core.plan.Problem>();
        Config c = config(SpecReader.of(spec.settings(), spec.name(), problems));
        if (!problems.isEmpty()) {
            // settings were validated when the plan was read; a stored plan that no longer validates measures nothing
            String why = "the gate's settings are invalid: " + problems.get(0).path() + " " + problems.get(0).message();
            return ctx -> Measurement.error(spec.name(), env.clock().instant(), why);
        }
        return new Probe(spec.name(), c, env);
    }

    private record Probe(String gate, Config c, GateEnvironment env) implements GateProbe {
        @Override
        public Measurement measure(MeasureContext ctx) throws InterruptedException {
            String query = c.template().render(ctx.variables());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("query", query);
            String shown = " (query " + abbreviate(query) + ")";

            HttpRequest request;
            try {
                request = request(endpoint(), query);
            } catch (MissingSetting e) {
                return error(e.getMessage() + shown, data);
            }
            BoundedHttp.Response resp;
            try {
                // timeout is a deadline for the whole exchange, a body that trickles in included
                resp = BoundedHttp.send(env.http(), request, c.timeout(), MAX_ANSWER_BYTES);
            } catch (HttpTimeoutException e) {
                return error(timedOut() + shown, data);
            } catch (ConnectException e) {
                return error("cannot reach Prometheus at " + server() + ": connection refused or unreachable" + shown, data);
            } catch (IOException e) {
                return error("cannot query Prometheus at " + server() + ": " + BoundedHttp.describe(e) + shown, data);
            }
            if (resp.truncated()) {
                return error("Prometheus answered more than " + BoundedHttp.size(MAX_ANSWER_BYTES) + ": aggregate the query" + shown, data);
            }
            String body = resp.text();
            data.put("httpStatus", resp.status());
            int code = resp.status();
            if (code == 401 || code == 403) {
                return error("Prometheus refused the credentials (HTTP " + code + ")" + credentialHint() + shown, data);
            }
            PrometheusAnswer answer = PrometheusAnswer.parse(code, body);
            if (answer instanceof PrometheusAnswer.Unusable u) {
                return error(u.reason() + shown, data);
            }
            if (answer instanceof PrometheusAnswer.NoData n) {
                if (!n.warnings().isEmpty()) data.put("warnings", n.warnings());
                return new Measurement(gate, env.clock().instant(), Outcome.INCONCLUSIVE, null,
                        "no data: the query returned an empty vector (no series matched; is there traffic to "
                                + "this version yet?)" + shown, data);
            }
            if (answer instanceof PrometheusAnswer.SeveralSeries s) {
                StringBuilder names = new StringBuilder();
                for (int i = 0; i < Math.min(3, s.series().size()); i++) {
                    names.append(i == 0 ? "" : ", ").append(PrometheusAnswer.describe(s.series().get(i)));
                }
                if (s.series().size() > 3) names.append(", …");
                data.put("series", s.series().size());
                return error("the query returned " + s.series().size() + " series where one number is expected ("
                        + names + "): aggregate it, e.g. sum(…) or max(…)" + shown, data);
            }
            PrometheusAnswer.Sample sample = (PrometheusAnswer.Sample) answer;
            if (!sample.labels().isEmpty()) data.put("series", PrometheusAnswer.describe(sample.labels()));
            if (!sample.warnings().isEmpty()) data.put("warnings", sample.warnings());
            double v = sample.value();
            if (Double.isNaN(v)) {
                return error(c.label() + " is NaN, often 0/0: no requests in the query's window" + shown, data);
            }
            if (Double.isInfinite(v)) {
                return error(c.label() + " is " + (v > 0 ? "+Inf" : "-Inf") + ", often x/0: a division by an empty rate" + shown, data);
            }
            Outcome o = c.thresholds().judge(v);
            return new Measurement(gate, env.clock().instant(), o, v, c.label() + " " + c.thresholds().explain(v) + shown, data);
        }

        /** The plan's address, else the CI-wide default from the environment. */
        private URI endpoint() throws MissingSetting {
            if (c.endpoint() != null) return c.endpoint();
            String address = env.env().get(DEFAULT_URL_ENV);
            if (address == null || address.isBlank()) {
                throw new MissingSetting("no Prometheus to ask: the gate has no address and " + DEFAULT_URL_ENV + " is not set");
            }
            try {
                return queryEndpoint(address);
            } catch (IllegalArgumentException e) {
                throw new MissingSetting(DEFAULT_URL_ENV + " " + e.getMessage());
            }
        }

        private HttpRequest request(URI endpoint, String query) throws MissingSetting {
            String form = "query=" + Templates.urlEncode(query) + "&timeout=" + c.timeout().toMillis() + "ms";
            HttpRequest.Builder b = c.method().equals("POST")
                    ? HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(form))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                    : HttpRequest.newBuilder(URI.create(endpoint + "?" + form)).GET();
            b.timeout(c.timeout()).header("Accept", "application/json");
            c.headers().forEach(b::header);
            if (c.tokenEnv() != null) {
                b.header("Authorization", "Bearer " + secret(c.tokenEnv(), "tokenEnv"));
            } else if (c.passwordEnv() != null) {
                String user = c.username() != null ? c.username() : secret(c.usernameEnv(), "usernameEnv");
                String pair = user + ":" + secret(c.passwordEnv(), "passwordEnv");
                b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            } else if (c.endpoint() == null && env.env().get(DEFAULT_TOKEN_ENV) != null && !env.env().get(DEFAULT_TOKEN_ENV).isEmpty()) {
                b.header("Authorization", "Bearer " + env.env().get(DEFAULT_TOKEN_ENV));
            }
            return b.build();
        }

        private String secret(String name, String field) throws MissingSetting {
            String v = env.env().get(name);
            if (v == null || v.isEmpty()) {
                throw new MissingSetting("the environment variable " + name + " named by " + field + " is not set");
            }
            return v;
        }

        private String credentialHint() {
            if (c.tokenEnv() != null) return "; check the token in " + c.tokenEnv();
            if (c.passwordEnv() != null) return "; check the username and the password in " + c.passwordEnv();
            return "; the server wants credentials: set tokenEnv, or username and passwordEnv";
        }

        private String timedOut() {
            return "Prometheus at " + server() + " did not answer within " + seconds(c.timeout());
        }

        private String server() {
            String s;
            try {
                s = endpoint().toString();
            } catch (MissingSetting e) {
                return "(no address)";
            }
            return s.substring(0, s.length() - QUERY_PATH.length());
        }

        private Measurement error(String summary, Map<String, Object> data) {
            return new Measurement(gate, env.clock().instant(), Outcome.ERROR, null, summary, data);
        }
    }

    static String abbreviate(String query) {
        String one = query.strip().replaceAll("\\s+", " ");
        return one.length() > 160 ? one.substring(0, 160) + "…" : one;
    }

    private static String seconds(Duration d) {
        return GateRules.number(d.toMillis() / 1000.0) + "s";
    }

    /** A setting the environment must provide is missing or wrong; the measurement is an error, no request is sent. */
    private static final class MissingSetting extends Exception {
        MissingSetting(String message) {
            super(message, null, false, false);
        }
    }

}
