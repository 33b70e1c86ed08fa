package io.stagedrollout.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Later regret: the manual rollback job takes a completed rollout back to the version before it. */
class ManualRollbackPipelineTest {
    @TempDir
    Path tmp;

    @Test
    void manualRollbackJobRevertsACompletedRolloutToTheStableVersion() throws Exception {
        Optional<GitLabCiLocal> gcl = GitLabCiLocal.find();
        assumeTrue(gcl.isPresent(), GitLabCiLocal.missingReason());
        RolloutRepo repo = new RolloutRepo(tmp, RolloutRepo.rolloutJar());
        Files.writeString(repo.deployedVersionFile(), "1.0.0");
        try (CheckoutService service = new CheckoutService(repo.deployedVersionFile(), Map.of())) {
            repo.copyTemplates();
            repo.writePlan(service.metricsUrl());
            repo.writePipeline(repo.standardPipeline());
            repo.commit();
            List<String> variables = List.of("--variable", "APP_VERSION=2.0.0", "--variable",
                    "DEPLOY_DIR=" + repo.deployDir, "--variable", "GITLAB_CI=true");
            List<String> pipeline = new java.util.ArrayList<>(List.of("--manual", "rollout:promote:canary"));
            pipeline.addAll(variables);
            GitLabCiLocal.Run rollout = gcl.get().run(repo.repo, pipeline);
            assertThat(rollout.exitCode()).as(rollout.output()).isZero();
            assertThat(Files.readString(repo.deployedVersionFile())).isEqualTo("2.0.0");

            List<String> rollback = new java.util.ArrayList<>(List.of("rollout:rollback",
                    "--variable", "ROLLBACK_REASON=checkout latency regression reported by support"));
            rollback.addAll(variables);
            GitLabCiLocal.Run regret = gcl.get().run(repo.repo, rollback);

            assertThat(regret.exitCode()).as(regret.output()).isZero();
            JsonNode status = repo.rollout("status", "--rollout", RolloutRepo.KEY);
            assertThat(status.at("/rollout/status").asText()).isEqualTo("ROLLED_BACK");
            assertThat(status.at("/rollout/reason").asText()).contains("latency regression reported by support");
            assertThat(Files.readString(repo.deployedVersionFile())).isEqualTo("1.0.0");
            assertThat(repo.deployLog()).contains("revert");
        }
    }
}
