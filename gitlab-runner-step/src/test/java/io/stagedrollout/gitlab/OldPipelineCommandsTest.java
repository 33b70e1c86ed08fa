package io.stagedrollout.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: an old pipeline's manual jobs must never act on a newer rollout of the same key. Pipeline 1 rolls out
 * 2.0.0 to completion; pipeline 2 (another commit, the same store) takes 3.0.0 to the early-adopters ring (50%),
 * where it waits for its manual promote. Then someone plays pipeline 1's manual rollback — or promote — job: it
 * fails with exit 5 naming both rollouts, and 3.0.0 stays at 50%, waiting for its person.
 */
class OldPipelineCommandsTest {
    @TempDir
    Path tmp;

    private GitLabCiLocal gcl;

    @BeforeEach
    void needsGitLabCiLocal() {
        Optional<GitLabCiLocal> found = GitLabCiLocal.find();
        assumeTrue(found.isPresent(), GitLabCiLocal.missingReason());
        gcl = found.get();
    }

    /** Two clones of acme/app sharing one store and one deployment, so each keeps its own pipeline's artifacts. */
    private RolloutRepo clone(String name, CheckoutService service, Path store, Path deployDir) throws Exception {
        RolloutRepo repo = new RolloutRepo(Files.createDirectories(tmp.resolve(name)), RolloutRepo.rolloutJar(),
                store, deployDir);
        repo.copyTemplates();
        repo.writeThreeRingPlan(service.metricsUrl());
        repo.writePipeline(repo.threeRingPipeline());
        repo.commit();
        return repo;
    }

    private static List<String> args(RolloutRepo repo, String version, String... more) {
        List<String> a = new ArrayList<>(List.of(more));
        a.addAll(List.of("--variable", "APP_VERSION=" + version, "--variable", "DEPLOY_DIR=" + repo.deployDir));
        return a;
    }

    @Test
    void anOldPipelinesManualJobsAreRefusedAndTheNewerRolloutKeepsWaiting() throws Exception {
        Path store = Files.createDirectories(tmp.resolve("state"));
        Path deployDir = Files.createDirectories(tmp.resolve("deployed"));
        Files.writeString(deployDir.resolve("deployed-version"), "1.0.0");
        try (CheckoutService service = new CheckoutService(deployDir.resolve("deployed-version"), Map.of())) {
            RolloutRepo old = clone("old", service, store, deployDir);
            GitLabCiLocal.Run first = gcl.run(old.repo, args(old, "2.0.0", "--manual", "rollout:promote:early-adopters"));
            assertThat(first.exitCode()).as(first.output()).isZero();
            String oldId = old.rollout("status", "--rollout", RolloutRepo.KEY).at("/rollout/id").asText();

            RolloutRepo current = clone("current", service, store, deployDir);
            GitLabCiLocal.Run second = gcl.run(current.repo, args(current, "3.0.0",
                    "rollout:start", "rollout:canary", "rollout:early-adopters"));
            assertThat(second.exitCode()).as(second.output()).isZero();
            JsonNode waiting = current.rollout("status", "--rollout", RolloutRepo.KEY);
            assertThat(waiting.at("/rollout/status").asText()).isEqualTo("AWAITING_APPROVAL");
            assertThat(waiting.at("/rollout/ring").asText()).isEqualTo("early-adopters");
            String newId = waiting.at("/rollout/id").asText();
            String deploysBefore = current.deployLog();

            GitLabCiLocal.Run rollback = gcl.run(old.repo, args(old, "2.0.0", "rollout:rollback",
                    "--variable", "ROLLBACK_REASON=pasted from last week's incident"));
            GitLabCiLocal.Run promote = gcl.run(old.repo, args(old, "2.0.0", "rollout:promote"));

            // Both are non-blocking manual jobs (allow_failure: true, the only way GitLab has to keep a manual job
            // from blocking the pipeline): the job fails with exit 5, shown as a warning, and the pipeline stays green.
            for (var stale : Map.of("rollout:rollback", rollback, "rollout:promote", promote).entrySet()) {
                String output = stale.getValue().output();
                assertThat(output).containsPattern(stale.getKey() + "\\s+finished in .* WARN 5")
                        .contains("(exit 5)").contains(oldId).contains(newId);
            }
            JsonNode after = current.rollout("status", "--rollout", RolloutRepo.KEY);
            assertThat(after.at("/rollout/id").asText()).isEqualTo(newId);
            assertThat(after.at("/rollout/status").asText()).isEqualTo("AWAITING_APPROVAL");
            assertThat(after.at("/rollout/ring").asText()).isEqualTo("early-adopters");
            assertThat(current.deployLog()).as("no revert, no deploy").isEqualTo(deploysBefore);
            assertThat(Files.readString(deployDir.resolve("deployed-version"))).isEqualTo("3.0.0");
        }
    }
}
