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
 * Issue 16.1, the pipeline as written from the README: three rings, the canary with approval auto. A version whose
 * canary is judged INCONCLUSIVE is held there: the pipeline stops at the canary with the canary still deployed,
 * nothing reverts it and no later ring runs; a person then promotes (and retries the ring job) or rolls back.
 */
class HeldRingPipelineTest {
    /** 4 errors in 100 requests: inside the gate's marginal zone (3–5%), so INCONCLUSIVE. */
    private static final Map<String, Integer> ERRORS_PER_HUNDRED = Map.of("2.0.0-flaky", 4);

    @TempDir
    Path tmp;

    private GitLabCiLocal gcl;

    @BeforeEach
    void needsGitLabCiLocal() {
        Optional<GitLabCiLocal> found = GitLabCiLocal.find();
        assumeTrue(found.isPresent(), GitLabCiLocal.missingReason());
        gcl = found.get();
    }

    private RolloutRepo repo(CheckoutService service) throws Exception {
        RolloutRepo repo = new RolloutRepo(tmp, RolloutRepo.rolloutJar());
        repo.copyTemplates();
        repo.writeThreeRingPlan(service.metricsUrl());
        repo.writePipeline(repo.threeRingPipeline());
        repo.commit();
        return repo;
    }

    private static List<String> args(RolloutRepo repo, String... more) {
        List<String> a = new ArrayList<>(List.of(more));
        a.addAll(List.of("--variable", "APP_VERSION=2.0.0-flaky", "--variable", "DEPLOY_DIR=" + repo.deployDir));
        return a;
    }

    /** The whole pipeline, as GitLab would create it for a push; the manual ring's promote job is pressed. */
    private GitLabCiLocal.Run heldPipeline(RolloutRepo repo) throws Exception {
        return gcl.run(repo.repo, args(repo, "--manual", "rollout:promote:early-adopters"));
    }

    @Test
    void aHeldCanaryStopsThePipelineWithTheCanaryDeployedAndNothingReverted() throws Exception {
        Path deployed = tmp.resolve("deployed/deployed-version");
        Files.createDirectories(deployed.getParent());
        Files.writeString(deployed, "1.0.0");
        try (CheckoutService service = new CheckoutService(deployed, ERRORS_PER_HUNDRED)) {
            RolloutRepo repo = repo(service);

            GitLabCiLocal.Run run = heldPipeline(repo);

            assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
            assertThat(run.output()).contains("FAIL  rollout:canary", "PASS  rollout:rollback:canary")
                    .contains("is held for a person (inconclusive)", "rollout:promote")
                    .doesNotContain("rollout:early-adopters  starting", "rollout:everyone  starting");
            JsonNode status = repo.rollout("status", "--rollout", RolloutRepo.KEY);
            assertThat(status.at("/rollout/status").asText()).isEqualTo("AWAITING_APPROVAL");
            assertThat(status.at("/rollout/hold").asText()).isEqualTo("inconclusive");
            assertThat(status.at("/rollout/ring").asText()).isEqualTo("canary");
            assertThat(Files.readString(deployed)).as("the canary stays deployed").isEqualTo("2.0.0-flaky");
            assertThat(repo.deployLog().lines().toList()).as("deployed once, never reverted")
                    .singleElement().asString().startsWith("deploy canary 2.0.0-flaky ");
            String dotenv = Files.readString(GitLabCiLocal.artifacts(repo.repo, "rollout:canary").resolve("rollout.env"));
            assertThat(dotenv.lines()).contains("ROLLOUT_EXIT_CODE=4", "ROLLOUT_VERDICT=INCONCLUSIVE");
        }
    }

    @Test
    void promotingTheHeldCanaryAndRetryingItsJobTakesTheRolloutOnToTheNextRing() throws Exception {
        Path deployed = tmp.resolve("deployed/deployed-version");
        Files.createDirectories(deployed.getParent());
        Files.writeString(deployed, "1.0.0");
        try (CheckoutService service = new CheckoutService(deployed, ERRORS_PER_HUNDRED)) {
            RolloutRepo repo = repo(service);
            assertThat(heldPipeline(repo).exitCode()).isEqualTo(1);

            GitLabCiLocal.Run promote = gcl.run(repo.repo, args(repo, "rollout:promote"));
            assertThat(promote.exitCode()).as(promote.output()).isZero();
            assertThat(repo.rollout("status", "--rollout", RolloutRepo.KEY).at("/rollout/status").asText())
                    .isEqualTo("PROMOTING");

            GitLabCiLocal.Run retry = gcl.run(repo.repo, args(repo, "rollout:canary"));
            assertThat(retry.exitCode()).as(retry.output()).isZero();
            assertThat(retry.output()).contains("already-done");
            GitLabCiLocal.Run next = gcl.run(repo.repo, args(repo, "rollout:early-adopters"));
            // the same flaky version is deployed to the next ring and waits there for a person: held when judged
            // inconclusive (exit 1), or passed and waiting for its manual approval (exit 0) when the traffic a busy
            // machine sends happened to look clean; never taken further without a person
            assertThat(next.exitCode()).as(next.output()).isIn(0, 1);
            assertThat(next.output()).containsAnyOf("ring early-adopters is held for a person (inconclusive)",
                    "ring early-adopters passed and waits for its manual approval");
            assertThat(repo.rollout("status", "--rollout", RolloutRepo.KEY).at("/rollout/status").asText())
                    .isEqualTo("AWAITING_APPROVAL");

            assertThat(repo.deployLog().lines().map(l -> l.substring(0, l.lastIndexOf(' '))).toList())
                    .containsExactly("deploy canary 2.0.0-flaky", "deploy early-adopters 2.0.0-flaky");
            JsonNode history = repo.rollout("history", "--rollout", RolloutRepo.KEY).path("events");
            assertThat(history.toString()).contains("\"overrode\":\"inconclusive\"");
        }
    }

    @Test
    void rollingBackTheHeldCanaryReturnsToTheStableVersion() throws Exception {
        Path deployed = tmp.resolve("deployed/deployed-version");
        Files.createDirectories(deployed.getParent());
        Files.writeString(deployed, "1.0.0");
        try (CheckoutService service = new CheckoutService(deployed, ERRORS_PER_HUNDRED)) {
            RolloutRepo repo = repo(service);
            assertThat(heldPipeline(repo).exitCode()).isEqualTo(1);

            GitLabCiLocal.Run rollback = gcl.run(repo.repo, args(repo, "rollout:rollback",
                    "--variable", "ROLLBACK_REASON=canary inconclusive, not worth the risk"));

            assertThat(rollback.exitCode()).as(rollback.output()).isZero();
            assertThat(repo.rollout("status", "--rollout", RolloutRepo.KEY).at("/rollout/status").asText())
                    .isEqualTo("ROLLED_BACK");
            assertThat(Files.readString(deployed)).isEqualTo("1.0.0");
            assertThat(repo.deployLog().lines().toList()).last().asString().startsWith("revert canary 1.0.0 ");
        }
    }
}
