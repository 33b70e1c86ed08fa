package io.stagedrollout.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The shipped JSON Schema accepts every example plan (which the plan reader accepts too) and refuses mistakes. */
class PlanSchemaTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(read(ROOT.resolve("schema/rollout-plan.schema.json"), new ObjectMapper()));

    static JsonNode read(Path p, ObjectMapper m) {
        try {
            return m.readTree(Files.readString(p));
        } catch (Exception e) {
            throw new AssertionError(p + ": " + e, e);
        }
    }

    static Stream<Path> examples() throws Exception {
        List<Path> plans;
        try (Stream<Path> s = Files.walk(ROOT.resolve("examples"))) {
            plans = s.filter(p -> p.toString().matches(".*/plans/.*\\.ya?ml$")).sorted().toList();
        }
        assertThat(plans).isNotEmpty();
        return plans.stream();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExamplePlanIsValidByTheSchemaAndByThePlanReader(Path plan) throws Exception {
        Set<ValidationMessage> errors = SCHEMA.validate(read(plan, new YAMLMapper()));
        assertThat(errors).as(plan.toString()).isEmpty();
        assertThat(PlanReader.read(plan).rings()).isNotEmpty();
    }

    @Test
    void theSchemaRefusesWhatThePlanReaderRefuses() throws Exception {
        String valid = Files.readString(ROOT.resolve("examples/plans/rings.yaml"));
        for (String bad : List.of(valid.replace("service: checkout", "service: Checkout"),
                valid.replace("bake: 10m", "bake: ten"),
                valid.replace("expectStatus: 200", "expectStatus: 200\n    colour: blue"),
                valid.replace("approval: manual", "approval: sometimes"),
                valid + "unknown: 1\n")) {
            assertThat(SCHEMA.validate(new YAMLMapper().readTree(bad))).as(bad).isNotEmpty();
        }
    }
}
