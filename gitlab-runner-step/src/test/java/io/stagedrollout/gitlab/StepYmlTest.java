package io.stagedrollout.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The experimental CI/CD step, run as step-runner would: the JAR executed directly, outputs read back. */
class StepYmlTest {
    @TempDir
    Path tmp;

    private static Path stepYml() {
        return RolloutRepo.componentDir().resolve("step.yml");
    }

    @Test
    void everyDeclaredOutputIsWrittenWithItsType() throws Exception {
        RolloutRepo repo = new RolloutRepo(tmp, RolloutRepo.rolloutJar());
        Files.writeString(repo.deployedVersionFile(), "1.0.0");
        try (CheckoutService service = new CheckoutService(repo.deployedVersionFile(), Map.of())) {
            repo.writePlan(service.metricsUrl());
            StepRunner step = new StepRunner(stepYml());

            StepRunner.Result started = step.run(Map.of("command", "start", "plan", "rollout.yaml",
                    "version", "2.0.0", "stable_version", "1.0.0", "store", repo.store.toString(),
                    "jar", repo.jar.toString()), Map.of("CI_PROJECT_DIR", repo.repo.toString()), repo.repo);

            assertThat(started.exitCode()).as(started.log()).isZero();
            JsonNode declared = step.spec().path("outputs");
            assertThat(started.outputs().keySet()).containsExactlyInAnyOrderElementsOf(() -> declared.fieldNames());
            assertThat(started.outputs().get("exit_code").asInt()).isZero();
            assertThat(started.outputs().get("rollout_id").asText()).isNotBlank();
            assertThat(started.outputs().get("version").asText()).isEqualTo("2.0.0");
        }
    }

    @Test
    void advanceThroughTheStepJudgesTheCanaryAndReportsItsVerdict() throws Exception {
        RolloutRepo repo = new RolloutRepo(tmp, RolloutRepo.rolloutJar());
        Files.writeString(repo.deployedVersionFile(), "1.0.0");
        try (CheckoutService service = new CheckoutService(repo.deployedVersionFile(), Map.of("2.0.0-bad", 30))) {
            repo.writePlan(service.metricsUrl());
            StepRunner step = new StepRunner(stepYml());
            Map<String, String> job = Map.of("CI_PROJECT_DIR", repo.repo.toString(), "DEPLOY_DIR", repo.deployDir.toString());
            StepRunner.Result started = step.run(Map.of("command", "start", "plan", "rollout.yaml",
                    "version", "2.0.0-bad", "stable_version", "1.0.0", "store", repo.store.toString(),
                    "jar", repo.jar.toString()), job, repo.repo);
            String id = started.outputs().get("rollout_id").asText();

            StepRunner.Result advanced = step.run(Map.of("command", "advance", "rollout", RolloutRepo.KEY,
                    "ring", "canary", "rollout_id", id, "store", repo.store.toString(), "jar", repo.jar.toString(),
                    "junit", tmp.resolve("gates.xml").toString()), job, repo.repo);

            assertThat(advanced.exitCode()).as(advanced.log()).isEqualTo(3);
            assertThat(advanced.outputs().get("exit_code").asInt()).isEqualTo(3);
            assertThat(advanced.outputs().get("verdict").asText()).isEqualTo("FAIL");
            assertThat(advanced.outputs().get("status").asText()).isEqualTo("ROLLED_BACK");
            assertThat(advanced.outputs().get("rollout_id").asText()).isEqualTo(id);
            assertThat(advanced.outputs().get("stable_version").asText()).isEqualTo("1.0.0");
            assertThat(Files.readString(tmp.resolve("gates.xml"))).contains("<failure type=\"FAIL\"");
        }
    }

    @Test
    void aStepOfAnotherPipelineLeavesTheCurrentRolloutAlone() throws Exception {
        RolloutRepo repo = new RolloutRepo(tmp, RolloutRepo.rolloutJar());
        Files.writeString(repo.deployedVersionFile(), "1.0.0");
        try (CheckoutService service = new CheckoutService(repo.deployedVersionFile(), Map.of())) {
            repo.writePlan(service.metricsUrl());
            StepRunner step = new StepRunner(stepYml());
            Map<String, String> job = Map.of("CI_PROJECT_DIR", repo.repo.toString(), "DEPLOY_DIR", repo.deployDir.toString());
            step.run(Map.of("command", "start", "plan", "rollout.yaml", "version", "2.0.0", "stable_version", "1.0.0",
                    "store", repo.store.toString(), "jar", repo.jar.toString()), job, repo.repo);

            StepRunner.Result stale = step.run(Map.of("command", "advance", "rollout", RolloutRepo.KEY,
                    "rollout_id", "r-from-an-older-pipeline", "store", repo.store.toString(),
                    "jar", repo.jar.toString()), job, repo.repo);

            assertThat(stale.exitCode()).as(stale.log()).isEqualTo(5);
            assertThat(stale.outputs().get("result").asText()).isEqualTo("conflict");
            assertThat(stale.outputs().get("message").asText()).contains("r-from-an-older-pipeline");
            assertThat(repo.deployLog()).isEmpty();
            assertThat(repo.rollout("status", "--rollout", RolloutRepo.KEY).at("/rollout/status").asText())
                    .isEqualTo("PENDING");
        }
    }
}
