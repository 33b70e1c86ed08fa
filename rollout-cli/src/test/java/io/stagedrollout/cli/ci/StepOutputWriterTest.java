package io.stagedrollout.cli.ci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepOutputWriterTest {
    @Test
    void outputsAreJsonLinesOfNameAndTypedValue(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("output");

        StepOutputWriter.write(file, CliResult.parse(Fixtures.CANARY_FAILED));

        List<String> lines = Files.readAllLines(file);
        Map<String, JsonNode> byName = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode node = json.readTree(line);
            assertThat(node.size()).isEqualTo(2);
            byName.put(node.get("name").asText(), node.get("value"));
        }
        assertThat(byName.get("status").asText()).isEqualTo("ROLLED_BACK");
        assertThat(byName.get("rollout_id").asText()).isEqualTo("r-42");
        assertThat(byName.get("stable_version").asText()).isEqualTo("1.9.0");
        assertThat(byName.get("exit_code").isInt()).isTrue();
        assertThat(byName.get("exit_code").asInt()).isEqualTo(3);
    }

    @Test
    void writingAppendsToWhatStepRunnerAlreadyHas(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("output");
        Files.writeString(file, "{\"name\":\"earlier\",\"value\":\"x\"}\n");

        StepOutputWriter.write(file, CliResult.parse(Fixtures.COMPLETED));

        assertThat(Files.readAllLines(file).get(0)).contains("earlier");
        assertThat(Files.readAllLines(file)).anyMatch(l -> l.contains("\"COMPLETED\""));
    }
}
