package io.stagedrollout.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a {@code step.yml} the way GitLab's step-runner runs an {@code exec} step: the spec's inputs (given or
 * default, a missing required one refused), the expressions {@code ${{ inputs.x }}}, {@code ${{ output_file }}},
 * {@code ${{ step_dir }}} and {@code ${{ job.X }}} substituted into each argument, the command executed without a
 * shell, and the outputs read back from the output file as JSON lines and checked against the declared types.
 */
final class StepRunner {
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([a-zA-Z_.]+)\\s*}}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    record Result(int exitCode, Map<String, JsonNode> outputs, String log) {}

    private final JsonNode spec;
    private final JsonNode definition;
    private final Path stepDir;

    StepRunner(Path stepYml) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).readValues(stepYml.toFile())) {
            while (it.hasNext()) documents.add((JsonNode) it.next());
        }
        if (documents.size() != 2) throw new IllegalArgumentException("step.yml must hold two YAML documents");
        spec = documents.get(0).path("spec");
        definition = documents.get(1);
        stepDir = stepYml.toAbsolutePath().getParent();
    }

    JsonNode spec() {
        return spec;
    }

    Result run(Map<String, String> inputs, Map<String, String> job, Path workDir)
            throws IOException, InterruptedException {
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("inputs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> input = it.next();
            if (inputs.containsKey(input.getKey())) values.put(input.getKey(), inputs.get(input.getKey()));
            else if (input.getValue().has("default")) values.put(input.getKey(), input.getValue().get("default").asText());
            else throw new IllegalArgumentException("required input '" + input.getKey() + "' not given");
        }
        for (String given : inputs.keySet()) {
            if (!values.containsKey(given)) throw new IllegalArgumentException("unknown input '" + given + "'");
        }
        Path outputFile = Files.createTempFile(workDir, "step-output", ".jsonl");
        JsonNode exec = definition.path("exec");
        if (exec.isMissingNode()) throw new IllegalArgumentException("not an exec step");
        List<String> command = new ArrayList<>();
        for (JsonNode arg : exec.path("command")) command.add(expand(arg.asText(), values, job, outputFile));
        Path dir = exec.has("work_dir") ? Path.of(expand(exec.get("work_dir").asText(), values, job, outputFile))
                : workDir;
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(job); // a step's process sees the job's variables
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("step did not finish:\n" + log);
        }
        return new Result(p.exitValue(), outputs(outputFile), log);
    }

    private Map<String, JsonNode> outputs(Path outputFile) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> outputs = new LinkedHashMap<>();
        JsonNode declared = spec.path("outputs");
        for (String line : Files.readAllLines(outputFile)) {
            if (line.isBlank()) continue;
            JsonNode record = json.readTree(line);
            String name = record.path("name").asText();
            JsonNode type = declared.path(name).path("type");
            if (type.isMissingNode()) throw new IllegalStateException("output '" + name + "' is not declared");
            JsonNode value = record.get("value");
            boolean typed = switch (type.asText()) {
                case "string" -> value.isTextual();
                case "number" -> value.isNumber();
                case "boolean" -> value.isBoolean();
                default -> true;
            };
            if (!typed) throw new IllegalStateException("output '" + name + "' is not a " + type.asText() + ": " + value);
            outputs.put(name, value);
        }
        return outputs;
    }

    private String expand(String text, Map<String, String> inputs, Map<String, String> job, Path outputFile) {
        Matcher m = EXPRESSION.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String expr = m.group(1);
            String value;
            if (expr.startsWith("inputs.")) value = inputs.get(expr.substring(7));
            else if (expr.startsWith("job.")) value = job.get(expr.substring(4));
            else if (expr.equals("output_file")) value = outputFile.toString();
            else if (expr.equals("step_dir")) value = stepDir.toString();
            else value = null;
            if (value == null) throw new IllegalArgumentException("cannot evaluate ${{ " + expr + " }}");
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
