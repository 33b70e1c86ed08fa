package io.stagedrollout.cli.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stagedrollout.core.proof.MalformedPlanCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The malformed-plan corpus through {@code rollout plan} and {@code rollout start}: exit 2, a message naming the
 * problem, no stack trace, nothing written to the state directory. Every file runs in-process (the CLI's own command
 * line and handlers); the most hostile ones also run through the real JAR.
 */
class MalformedPlansThroughTheCliTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static List<MalformedPlanCorpus.Entry> corpus() {
        return MalformedPlanCorpus.entries();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void planAndStartRefuseItWithExit2AndWriteNothing(MalformedPlanCorpus.Entry entry) throws Exception {
        Path file = entry.copyTo(dir);
        Path state = dir.resolve("state");
        for (String command : List.of("plan", "start")) {
            List<String> args = command.equals("plan") ? List.of("plan", file.toString())
                    : List.of("start", file.toString(), "--version", "2.0.0", "--state-dir", state.toString());
            Cli.Result text = InProcess.run(args.toArray(String[]::new));
            assertRefused(entry, text);

            Cli.Result json = InProcess.run(append(args, "--output", "json"));
            assertRefused(entry, json);
            JsonNode out = JSON.readTree(json.stdout());
            assertThat(out.path("result").asText()).isEqualTo("invalid");
            assertThat(out.path("exitCode").asInt()).isEqualTo(2);
            assertThat(out.path("problems")).isNotEmpty();
            StringBuilder problems = new StringBuilder();
            out.path("problems").forEach(p -> problems.append(p.path("path").asText()).append(": ")
                    .append(p.path("message").asText()).append('\n'));
            assertThat(problems.toString().replaceAll("(?m)^: ", "")).contains(entry.mustName());
        }
        assertThat(Files.exists(state)).as("nothing written to the state directory").isFalse();
    }

    @Test
    void theJarRefusesTheMostHostileFilesTheSameWay() throws Exception {
        Path state = dir.resolve("state");
        for (var entry : corpus()) {
            if (!List.of("alias-bomb.yaml", "deep-nesting.yaml", "binary-junk.bin", "nul-byte.yaml", "rtl-override.yaml").contains(entry.file())) continue;
            Path file = entry.copyTo(dir);
            Cli.Result r = Cli.run(dir, Map.of(), 60, "start", file.toString(), "--version", "2.0.0", "--state-dir", state.toString());
            assertRefused(entry, r);
        }
        assertThat(Files.exists(state)).isFalse();
    }

    private static void assertRefused(MalformedPlanCorpus.Entry entry, Cli.Result r) {
        assertThat(r.exit()).as("%s: %s", entry, r.all()).isEqualTo(2);
        if (!r.stdout().startsWith("{")) assertThat(r.all()).contains(entry.mustName());
        assertThat(r.all()).doesNotContain("\tat ", "Exception", "\u202e", "\u0000");
        assertThat(r.all().length()).as("output stays readable").isLessThan(20_000);
    }

    private static String[] append(List<String> args, String... more) {
        var all = new java.util.ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
