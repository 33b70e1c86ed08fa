package io.stagedrollout.cli.ci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Outputs of a GitLab CI/CD step (experimental): one JSON object per line, {@code {"name":..,"value":..}}, appended
 * to the file step-runner names as {@code ${{ output_file }}}. The names and types match {@code step.yml}'s
 * {@code spec.outputs}: every value is a string except {@code exit_code}, a number.
 */
public final class StepOutputWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StepOutputWriter() {}

    /** The outputs, in step.yml's names. */
    public static Map<String, Object> outputs(CliResult result) {
        Map<String, String> env = DotenvWriter.variables(result);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("result", env.get("ROLLOUT_RESULT"));
        out.put("exit_code", result.exitCode());
        out.put("message", result.message() == null ? "" : result.message());
        out.put("rollout_id", env.get("ROLLOUT_ID"));
        out.put("status", env.get("ROLLOUT_STATUS"));
        out.put("ring", env.get("ROLLOUT_RING"));
        out.put("version", env.get("ROLLOUT_VERSION"));
        out.put("stable_version", env.get("ROLLOUT_STABLE_VERSION"));
        out.put("last_good_version", env.get("ROLLOUT_LAST_GOOD_VERSION"));
        out.put("verdict", env.get("ROLLOUT_VERDICT"));
        return out;
    }

    public static String render(Map<String, Object> outputs) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : outputs.entrySet()) {
            ObjectNode line = JSON.createObjectNode();
            line.put("name", e.getKey());
            Object v = e.getValue();
            if (v instanceof Integer i) line.put("value", i);
            else line.put("value", v == null ? "" : v.toString());
            try {
                sb.append(JSON.writeValueAsString(line)).append('\n');
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return sb.toString();
    }

    /** Appends: step-runner creates the file and may expect other writers' lines to stay. */
    public static void write(Path file, CliResult result) throws IOException {
        Files.writeString(file, render(outputs(result)), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }
}
