package io.stagedrollout.cli.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotenvWriterTest {
    @Test
    void variablesCarryIdStatusRingAndStableVersion() {
        Map<String, String> vars = DotenvWriter.variables(CliResult.parse(Fixtures.CANARY_FAILED));

        assertThat(vars).containsEntry("ROLLOUT_ID", "r-42")
                .containsEntry("ROLLOUT_STATUS", "ROLLED_BACK")
                .containsEntry("ROLLOUT_RING", "canary")
                .containsEntry("ROLLOUT_STABLE_VERSION", "1.9.0")
                .containsEntry("ROLLOUT_LAST_GOOD_VERSION", "1.9.0")
                .containsEntry("ROLLOUT_VERDICT", "FAIL")
                .containsEntry("ROLLOUT_EXIT_CODE", "3");
    }

    @Test
    void aCommandWithoutRolloutWritesEmptyValuesNotStaleOnes() {
        Map<String, String> vars = DotenvWriter.variables(CliResult.parse(Fixtures.INVALID));

        assertThat(vars).containsEntry("ROLLOUT_RESULT", "invalid").containsEntry("ROLLOUT_ID", "")
                .containsEntry("ROLLOUT_STATUS", "");
    }

    @Test
    void fileHasOnlyKeyValueLinesWithoutCommentsOrBlankLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rollout.env");

        DotenvWriter.write(file, DotenvWriter.variables(CliResult.parse(Fixtures.COMPLETED)));

        assertThat(Files.readAllLines(file)).isNotEmpty()
                .allMatch(l -> l.matches("[A-Z_][A-Z0-9_]*=.*"))
                .contains("ROLLOUT_STATUS=COMPLETED", "ROLLOUT_ID=r-43", "ROLLOUT_RING=everyone");
    }

    @Test
    void valueWithSpacesIsQuoted() {
        String text = DotenvWriter.render(Map.of("ROLLOUT_VERSION", "2.0 beta")).text();

        assertThat(text).isEqualTo("ROLLOUT_VERSION=\"2.0 beta\"\n");
    }

    @Test
    void valueThatParsersWouldReadDifferentlyIsLeftOutWithAWarning() {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("ROLLOUT_ID", "r-1");
        vars.put("ROLLOUT_VERSION", "1.0\nEVIL=1");
        vars.put("ROLLOUT_RING", "a#b");

        DotenvWriter.Rendered r = DotenvWriter.render(vars);

        assertThat(r.text()).isEqualTo("ROLLOUT_ID=r-1\n");
        assertThat(r.warnings()).hasSize(2).anyMatch(w -> w.startsWith("ROLLOUT_VERSION"))
                .anyMatch(w -> w.startsWith("ROLLOUT_RING"));
    }

    @Test
    void fileStaysWithinGitLabsFiveKilobytes() {
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) vars.put("ROLLOUT_X" + i, "v".repeat(100));

        DotenvWriter.Rendered r = DotenvWriter.render(vars);

        assertThat(r.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(DotenvWriter.MAX_BYTES);
        assertThat(r.warnings()).isNotEmpty().allMatch(w -> w.contains("5 KB"));
    }

    @Test
    void keyGitLabWouldRejectIsRefused() {
        assertThatThrownBy(() -> DotenvWriter.render(Map.of("ROLLOUT-ID", "x")))
                .hasMessageContaining("ROLLOUT-ID");
    }
}
