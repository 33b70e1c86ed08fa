package io.stagedrollout.core.gate.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagedrollout.core.plan.InvalidPlanException;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.plan.SpecReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusGateValidationTest {
    private static Map<String, Object> valid() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", "http://prometheus:9090");
        m.put("query", "sum(rate(errors{version={{version}}}[5m]))");
        m.put("max", 0.01);
        return m;
    }

    private static List<Problem> problems(Map<String, Object> settings) {
        List<Problem> problems = new ArrayList<>();
        SpecReader r = SpecReader.of(settings, "gates.error-rate", problems);
        new PrometheusGate().validate(r);
        r.finish();
        return problems;
    }

    private static List<String> messages(Map<String, Object> settings) {
        return problems(settings).stream().map(p -> p.path() + ": " + p.message()).toList();
    }

    private static Map<String, Object> with(String field, Object value) {
        Map<String, Object> m = valid();
        if (value == null) m.remove(field);
        else m.put(field, value);
        return m;
    }

    @Test
    void minimalGateIsValid() {
        assertThat(problems(valid())).isEmpty();
    }

    @Test
    void everyOptionalFieldIsAccepted() {
        Map<String, Object> m = valid();
        m.put("min", 0);
        m.put("marginal", 0.002);
        m.put("label", "error ratio");
        m.put("timeout", "3s");
        m.put("method", "post");
        m.put("username", "grafana");
        m.put("passwordEnv", "PROM_PASSWORD");
        m.put("headers", Map.of("X-Scope-OrgID", "team-a"));
        assertThat(problems(m)).isEmpty();
    }

    @Test
    void addressMayBeLeftToTheEnvironment() {
        assertThat(problems(with("address", null))).isEmpty();
    }

    @Test
    void addressMustBeHttp() {
        assertThat(messages(with("address", "ftp://prom"))).singleElement().asString().contains("address", "http://");
    }

    @Test
    void addressMustNotCarryCredentials() {
        assertThat(messages(with("address", "http://admin:secret@prom:9090"))).singleElement().asString()
                .contains("must not carry credentials");
    }

    @Test
    void queryIsRequired() {
        assertThat(messages(with("query", null))).containsExactly("gates.error-rate.query: is required");
    }

    @Test
    void unknownPlaceholderIsNamed() {
        assertThat(messages(with("query", "up{v={{verison}}}"))).singleElement().asString()
                .contains("gates.error-rate.query", "{{verison}}");
    }

    @Test
    void placeholderInRawStringIsRefused() {
        assertThat(messages(with("query", "up{v=`{{version}}`}"))).singleElement().asString().contains("raw");
    }

    @Test
    void aThresholdIsRequired() {
        assertThat(messages(with("max", null))).singleElement().asString().contains("gates.error-rate.max", "required");
    }

    @Test
    void tokenInThePlanIsRefusedWithTheWayOut() {
        assertThat(messages(with("token", "abc123"))).singleElement().asString()
                .contains("gates.error-rate.token", "tokenEnv").doesNotContain("abc123");
    }

    @Test
    void tokenEnvMustBeAName() {
        assertThat(messages(with("tokenEnv", "Bearer abc.def"))).singleElement().asString()
                .contains("tokenEnv", "NAME of an environment variable");
    }

    @Test
    void basicAuthNeedsPasswordEnv() {
        assertThat(messages(with("username", "grafana"))).singleElement().asString().contains("passwordEnv", "required");
    }

    @Test
    void tokenAndBasicAuthConflict() {
        Map<String, Object> m = with("tokenEnv", "PROM_TOKEN");
        m.put("username", "u");
        m.put("passwordEnv", "PROM_PASSWORD");
        assertThat(messages(m)).singleElement().asString().contains("tokenEnv", "conflicts");
    }

    @Test
    void authorizationHeaderIsRefused() {
        assertThat(messages(with("headers", Map.of("Authorization", "Bearer x")))).singleElement().asString()
                .contains("headers.Authorization", "tokenEnv");
    }

    @Test
    void misspeltFieldIsUnknown() {
        assertThat(messages(with("qeury", "up"))).singleElement().asString().contains("unknown field 'qeury'");
    }

    @Test
    void planWithAPrometheusGateReads() throws InvalidPlanException {
        RolloutPlan plan = PlanReader.parse("""
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: 10m, gates: [error-rate]}
                  - {name: everyone, exposure: 100%, bake: 0s}
                gates:
                  error-rate:
                    kind: prometheus
                    address: http://prometheus:9090
                    query: sum(rate(errors{version={{version}}}[5m])) / sum(rate(requests{version={{version}}}[5m]))
                    max: 0.01
                    tokenEnv: PROM_TOKEN
                    interval: 1m
                actions:
                  deploy: {kind: command, command: [./deploy.sh]}
                  revert: {kind: command, command: [./deploy.sh, --revert]}
                """);
        assertThat(plan.gates().get("error-rate").kind()).isEqualTo("prometheus");
        assertThat(plan.gates().get("error-rate").settings()).containsEntry("tokenEnv", "PROM_TOKEN");
    }

    @Test
    void planWithABrokenPrometheusGateNamesTheFieldAndLine() {
        assertThatThrownBy(() -> PlanReader.parse("""
                service: checkout
                environment: production
                rings:
                  - {name: everyone, exposure: 100%, bake: 1m, gates: [error-rate]}
                gates:
                  error-rate:
                    kind: prometheus
                    address: http://prometheus:9090
                    query: up
                    max: lots
                actions:
                  deploy: {kind: command, command: [./deploy.sh]}
                  revert: {kind: command, command: [./deploy.sh, --revert]}
                """)).isInstanceOfSatisfying(InvalidPlanException.class, e -> assertThat(e.problems())
                .anySatisfy(p -> {
                    assertThat(p.path()).isEqualTo("gates.error-rate.max");
                    assertThat(p.line()).isEqualTo(10);
                }));
    }
}
