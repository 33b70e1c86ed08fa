package io.stagedrollout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DetectionBenchTest {
    @TempDir
    Path dir;

    private String run(String... args) throws Exception {
        Path out = dir.resolve("table.md");
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--out";
        all[args.length + 1] = out.toString();
        assertThat(new CommandLine(new DetectionBench()).execute(all)).isZero();
        return Files.readString(out);
    }

    @Test
    void writesOneRowPerRuleAndCellWithEveryRegression() throws Exception {
        String md = run("--runs", "30", "--calibration-runs", "30", "--exposures", "5,25", "--rates", "100");
        assertThat(md).contains("| 1.5x detected | median min | canary requests | 2x detected |");
        for (String rule : new String[] {"threshold", "mann-whitney", "sequential", "repeated-z-test"}) {
            assertThat(md).contains("| 5% | 100 | " + rule + " |").contains("| 25% | 100 | " + rule + " |");
        }
        assertThat(md).contains("30 bakes per cell").contains("seed 20260326");
    }

    @Test
    void reportsWhatEarlyPassSavesAndWhatItCosts() throws Exception {
        String md = run("--runs", "30", "--calibration-runs", "30", "--exposures", "25", "--rates", "100");
        assertThat(md).contains("| exposure | req/s | A/A passed early | median min | canary minutes | false rollbacks (A/A) |"
                + " 1.5x detected | 1.5x passed early |");
        assertThat(md).containsPattern("\\| 25% \\| 100 \\| [0-9.]+% \\| [0-9.–]+ \\| [0-9.]+ \\([0-9.]+\\) \\|");
        assertThat(md).contains("**sequential+earlyPass**");
    }

    @Test
    void theSameSeedPrintsTheSameTable() throws Exception {
        String[] args = {"--runs", "20", "--calibration-runs", "20", "--exposures", "25", "--rates", "10", "--seed", "5"};
        assertThat(run(args)).isEqualTo(run(args));
    }
}
