package io.stagedrollout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.plan.SpecReader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schema fragment for editors ({@code kubernetes-action.schema.json}) accepts what the action accepts and
 * refuses what it refuses.
 */
class ActionSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = load();

    private static JsonSchema load() {
        try (InputStream in = KubernetesActionKind.class.getResourceAsStream("kubernetes-action.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean schemaAccepts(Map<String, Object> action) {
        return SCHEMA.validate(JSON.valueToTree(action)).isEmpty();
    }

    private static boolean actionAccepts(Map<String, Object> action) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Object> settings = new LinkedHashMap<>(action);
        settings.remove("kind");
        SpecReader r = SpecReader.of(settings, "actions.deploy", problems);
        new KubernetesActionKind().validate(r);
        r.finish();
        return problems.isEmpty();
    }

    @Test
    void readmeActionsConformToTheSchema() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("```yaml\\n(service:.*?)```", Pattern.DOTALL).matcher(readme);
        int checked = 0;
        while (m.find()) {
            RolloutPlan plan = PlanReader.parse(m.group(1));
            for (var spec : plan.actions().values()) {
                Map<String, Object> action = new LinkedHashMap<>(spec.settings());
                action.put("kind", spec.kind());
                assertThat(SCHEMA.validate(JSON.valueToTree(action))).as(spec.name()).isEmpty();
                checked++;
            }
        }
        assertThat(checked).isEqualTo(4);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "true | {kind: kubernetes, mode: replicas, stableDeployment: a, canaryDeployment: b, image: 'r/app:{{version}}'}",
        "true | {kind: kubernetes, mode: replicas, stableDeployment: a, canaryDeployment: b, image: 'r/app:{{version}}', replicas: 3, readyTimeout: 0}",
        "true | {kind: kubernetes, mode: httproute, route: r, stableService: a, canaryService: b, weightTotal: 10000}",
        "true | {kind: kubernetes, mode: httproute, route: r, stableService: a, canaryService: b, canaryDeployment: c, image: 'r/app:{{version}}'}",
        "false | {kind: kubernetes}",
        "false | {kind: kubernetes, mode: istio}",
        "false | {kind: kubernetes, mode: replicas, stableDeployment: a, canaryDeployment: b}",
        "false | {kind: kubernetes, mode: replicas, stableDeployment: a, canaryDeployment: b, image: 'r/app:latest'}",
        "false | {kind: kubernetes, mode: replicas, stableDeployment: a, canaryDeployment: b, image: 'r/app:{{version}}', replica: 3}",
        "false | {kind: kubernetes, mode: replicas, stableDeployment: a, canaryDeployment: b, image: 'r/app:{{version}}', weightTotal: 3}",
        "false | {kind: kubernetes, mode: replicas, stableDeployment: A_b, canaryDeployment: b, image: 'r/app:{{version}}'}",
        "false | {kind: kubernetes, mode: replicas, stableDeployment: a, canaryDeployment: b, image: 'r/app:{{version}}', replicas: 0}",
        "false | {kind: kubernetes, mode: replicas, stableDeployment: a, canaryDeployment: b, image: 'r/app:{{version}}', readyTimeout: soon}",
        "false | {kind: kubernetes, mode: httproute, route: r, stableService: a}",
        "false | {kind: kubernetes, mode: httproute, route: r, stableService: a, canaryService: b, replicas: 3}",
        "false | {kind: kubernetes, mode: httproute, route: r, stableService: a, canaryService: b, canaryDeployment: c}",
        "false | {kind: kubernetes, mode: httproute, route: r, stableService: 1a, canaryService: b}",
        "false | {kind: kubernetes, mode: httproute, route: r, stableService: a, canaryService: b, weightTotal: 2000000}",
    })
    void schemaAndActionAgree(boolean valid, String yaml) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> action = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readValue(yaml, Map.class);
        assertThat(actionAccepts(action)).as("action accepts %s", yaml).isEqualTo(valid);
        assertThat(schemaAccepts(action)).as("schema accepts %s", yaml).isEqualTo(valid);
    }
}
