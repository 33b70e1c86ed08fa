package io.stagedrollout.core.gate.kind;

import static io.stagedrollout.core.gate.kind.PrometheusGateProbes.measure;
import static io.stagedrollout.core.gate.kind.PrometheusGateProbes.open;
import static io.stagedrollout.core.testing.prometheus.ScriptedPrometheusApi.error;
import static io.stagedrollout.core.testing.prometheus.ScriptedPrometheusApi.scalar;
import static io.stagedrollout.core.testing.prometheus.ScriptedPrometheusApi.vector;
import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.Outcome;
import io.stagedrollout.core.testing.prometheus.ScriptedPrometheusApi;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gate against a scripted Prometheus API: every answer a real server can give, and the faults. */
class PrometheusGateTest {
    private static final String QUERY = "sum(rate(http_requests_errors_total{version={{version}}}[1m]))"
            + " / sum(rate(http_requests_total{version={{version}}}[1m]))";
    private ScriptedPrometheusApi api;

    @BeforeEach
    void start() throws IOException {
        api = new ScriptedPrometheusApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", api.address().toString());
        m.put("query", QUERY);
        m.put("label", "error ratio");
        m.put("max", 0.01);
        // generous: a loaded machine must not turn a scripted answer into a timeout (the timeout has its own test)
        m.put("timeout", "30s");
        return m;
    }

    private Measurement measureWith(Map<String, Object> settings) throws InterruptedException {
        return measure(open(settings, Map.of()), "2.0.0");
    }

    private Measurement measureOnce() throws InterruptedException {
        return measureWith(settings());
    }

    @Test
    void valueWithinMaxPasses() throws InterruptedException {
        api.answer(200, vector("0.004"));
        Measurement m = measureOnce();
        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(m.value()).isEqualTo(0.004);
        assertThat(m.summary()).startsWith("error ratio 0.004 <= max 0.01 (query sum(rate(");
    }

    @Test
    void valueAboveMaxFailsWithExplanation() throws InterruptedException {
        api.answer(200, vector("0.034"));
        Measurement m = measureOnce();
        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.summary()).startsWith("error ratio 0.034 > max 0.01 (query ");
    }

    @Test
    void valueBelowMinFails() throws InterruptedException {
        Map<String, Object> s = settings();
        s.remove("max");
        s.put("min", 0.99);
        s.put("label", "success ratio");
        api.answer(200, vector("0.95"));
        Measurement m = measureWith(s);
        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.summary()).startsWith("success ratio 0.95 < min 0.99");
    }

    @Test
    void valueInMarginalBandIsInconclusive() throws InterruptedException {
        Map<String, Object> s = settings();
        s.put("marginal", 0.002);
        api.answer(200, vector("0.009"));
        Measurement m = measureWith(s);
        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.summary()).contains("within marginal 0.002 of max 0.01");
    }

    @Test
    void scalarResultIsJudged() throws InterruptedException {
        api.answer(200, scalar("0.5"));
        assertThat(measureOnce().outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void emptyVectorIsInconclusiveNoData() throws InterruptedException {
        api.answer(200, vector());
        Measurement m = measureOnce();
        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.value()).isNull();
        assertThat(m.summary()).startsWith("no data: the query returned an empty vector");
    }

    @Test
    void nanIsAnError() throws InterruptedException {
        api.answer(200, vector("NaN"));
        Measurement m = measureOnce();
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("error ratio is NaN");
    }

    @Test
    void infinityIsAnError() throws InterruptedException {
        api.answer(200, vector("+Inf"));
        assertThat(measureOnce().outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void severalSeriesAreAnErrorNamingThem() throws InterruptedException {
        api.answer(200, vector("0.001", "0.002"));
        Measurement m = measureOnce();
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("2 series where one number is expected", "{pod=\"api-0\"}", "sum(");
    }

    @Test
    void rangeVectorIsAnError() throws InterruptedException {
        api.answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
        Measurement m = measureOnce();
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("range vector");
    }

    @Test
    void rejectedQueryIsAnErrorWithPrometheusMessage() throws InterruptedException {
        api.answer(400, error("bad_data", "1:5: parse error: unexpected identifier"));
        Measurement m = measureOnce();
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("query rejected (HTTP 400, bad_data): 1:5: parse error");
    }

    @Test
    void errorStatusWithHttp200IsAnError() throws InterruptedException {
        api.answer(200, error("execution", "query timed out in expression evaluation"));
        assertThat(measureOnce().outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void serverErrorIsAnError() throws InterruptedException {
        api.answer(503, "Service Unavailable");
        Measurement m = measureOnce();
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("HTTP 503");
    }

    @Test
    void malformedJsonIsAnError() throws InterruptedException {
        api.answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{");
        Measurement m = measureOnce();
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("malformed answer");
    }

    @Test
    void htmlInsteadOfTheApiIsAnError() throws InterruptedException {
        api.answer(200, "<html>login</html>");
        assertThat(measureOnce().outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void sampleValueThatIsNotANumberIsAnError() throws InterruptedException {
        api.answer(200, vector("lots"));
        Measurement m = measureOnce();
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("'lots' is not a number");
    }

    @Test
    void slowAnswerTimesOutAsAnError() throws InterruptedException {
        api.answer(200, vector("0.001")).delay(Duration.ofSeconds(10));
        Map<String, Object> s = settings();
        s.put("timeout", "1s");
        long t0 = System.nanoTime();
        Measurement m = measureWith(s);
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("did not answer within 1s");
        // cut short by the timeout, not by the answer ten seconds later
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(9));
    }

    @Test
    void refusedConnectionIsAnError() throws InterruptedException, IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Map<String, Object> s = settings();
        s.put("address", "http://127.0.0.1:" + port);
        Measurement m = measureWith(s);
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("cannot reach Prometheus at http://127.0.0.1:" + port);
    }

    @Test
    void unauthorisedIsAnErrorPointingAtTheCredential() throws InterruptedException {
        Map<String, Object> s = settings();
        s.put("tokenEnv", "PROM_TOKEN");
        api.answer(401, "Unauthorized");
        Measurement m = measure(open(s, Map.of("PROM_TOKEN", "s3cr3t-token")), "2.0.0");
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("refused the credentials", "PROM_TOKEN").doesNotContain("s3cr3t-token");
    }

    @Test
    void queryIsSentUrlEncodedWithTheVersionAsAStringLiteral() throws InterruptedException {
        api.answer(200, vector("0"));
        measure(open(settings(), Map.of()), "2.0.0+build.7 & x=\"y\"");
        ScriptedPrometheusApi.Request r = api.lastRequest();
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.rawUri()).startsWith("/api/v1/query?query=").doesNotContain(" ", "\"", "+build");
        assertThat(r.params().get("query")).isEqualTo(
                "sum(rate(http_requests_errors_total{version=\"2.0.0+build.7 & x=\\\"y\\\"\"}[1m]))"
                        + " / sum(rate(http_requests_total{version=\"2.0.0+build.7 & x=\\\"y\\\"\"}[1m]))");
        assertThat(r.params().get("timeout")).isEqualTo("30000ms");
    }

    @Test
    void postSendsTheQueryAsAForm() throws InterruptedException {
        Map<String, Object> s = settings();
        s.put("method", "post");
        api.answer(200, vector("0"));
        measureWith(s);
        assertThat(api.lastRequest().method()).isEqualTo("POST");
        assertThat(api.lastRequest().params().get("query")).contains("version=\"2.0.0\"");
    }

    @Test
    void addressWithPathPrefixKeepsIt() throws InterruptedException {
        Map<String, Object> s = settings();
        s.put("address", api.address() + "/prometheus/");
        api.answer(200, vector("0"));
        measureWith(s);
        assertThat(api.lastRequest().rawUri()).startsWith("/prometheus/api/v1/query?");
    }

    @Test
    void bearerTokenComesFromTheNamedVariable() throws InterruptedException {
        Map<String, Object> s = settings();
        s.put("tokenEnv", "PROM_TOKEN");
        api.answer(200, vector("0.001"));
        Measurement m = measure(open(s, Map.of("PROM_TOKEN", "s3cr3t-token")), "2.0.0");
        assertThat(api.lastRequest().header("Authorization")).isEqualTo("Bearer s3cr3t-token");
        assertThat(m.summary() + m.data()).doesNotContain("s3cr3t-token");
    }

    @Test
    void basicAuthComesFromUsernameAndPasswordVariable() throws InterruptedException {
        Map<String, Object> s = settings();
        s.put("username", "grafana");
        s.put("passwordEnv", "PROM_PASSWORD");
        api.answer(200, vector("0.001"));
        measure(open(s, Map.of("PROM_PASSWORD", "pa:ss")), "2.0.0");
        String expected = Base64.getEncoder().encodeToString("grafana:pa:ss".getBytes(StandardCharsets.UTF_8));
        assertThat(api.lastRequest().header("Authorization")).isEqualTo("Basic " + expected);
    }

    @Test
    void missingTokenVariableIsAnErrorWithoutARequest() throws InterruptedException {
        Map<String, Object> s = settings();
        s.put("tokenEnv", "PROM_TOKEN");
        Measurement m = measure(open(s, Map.of()), "2.0.0");
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("PROM_TOKEN", "not set");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void extraHeadersAreSent() throws InterruptedException {
        Map<String, Object> s = settings();
        s.put("headers", Map.of("X-Scope-OrgID", "team-a"));
        api.answer(200, vector("0"));
        measureWith(s);
        assertThat(api.lastRequest().header("X-Scope-OrgID")).isEqualTo("team-a");
    }

    @Test
    void renderedQueryIsKeptAsEvidence() throws InterruptedException {
        api.answer(200, vector("0.001"));
        Measurement m = measureOnce();
        assertThat(m.data()).containsEntry("query", QUERY.replace("{{version}}", "\"2.0.0\"")).containsEntry("httpStatus", 200);
    }

    @Test
    void storedSettingsThatNoLongerValidateMeasureAnError() throws InterruptedException {
        var spec = new io.stagedrollout.core.plan.GateSpec("error-rate", "prometheus", Duration.ofSeconds(30), null,
                Duration.ZERO, 0, 0, 4, false, Map.of("address", "ftp://nowhere", "query", "up", "max", 1));
        var env = new io.stagedrollout.core.gate.GateEnvironment(Map.of(), java.nio.file.Path.of("."),
                java.net.http.HttpClient.newHttpClient(), java.time.Clock.systemUTC());
        Measurement m = measure(new PrometheusGate().open(spec, env), "2.0.0");
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("error-rate.address");
    }

    @Test
    void withoutAddressTheServerComesFromTheEnvironmentWithItsToken() throws InterruptedException {
        Map<String, Object> s = settings();
        s.remove("address");
        api.answer(200, vector("0.001"));
        Measurement m = measure(open(s, Map.of(PrometheusGate.DEFAULT_URL_ENV, api.address() + "/",
                PrometheusGate.DEFAULT_TOKEN_ENV, "ci-wide-token")), "2.0.0");
        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(api.lastRequest().header("Authorization")).isEqualTo("Bearer ci-wide-token");
    }

    @Test
    void theDefaultTokenIsNeverSentToAnAddressThePlanNames() throws InterruptedException {
        api.answer(200, vector("0.001"));
        measure(open(settings(), Map.of(PrometheusGate.DEFAULT_TOKEN_ENV, "ci-wide-token")), "2.0.0");
        assertThat(api.lastRequest().header("Authorization")).isNull();
    }

    @Test
    void withoutAddressOrDefaultItIsAnErrorNamingTheVariable() throws InterruptedException {
        Map<String, Object> s = settings();
        s.remove("address");
        Measurement m = measure(open(s, Map.of()), "2.0.0");
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains("no address", PrometheusGate.DEFAULT_URL_ENV);
    }

    @Test
    void invalidDefaultAddressIsAnErrorNamingTheVariable() throws InterruptedException {
        Map<String, Object> s = settings();
        s.remove("address");
        Measurement m = measure(open(s, Map.of(PrometheusGate.DEFAULT_URL_ENV, "prometheus:9090")), "2.0.0");
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.summary()).contains(PrometheusGate.DEFAULT_URL_ENV + " must be an http://");
    }
}
