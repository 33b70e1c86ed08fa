package io.stagedrollout.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What gitlab-ci-local 4.65.1 does not run the way GitLab does — resource_group (ignored), manual_confirmation
 * (ignored), allow_failure exit codes (treated as allow_failure: true), on_failure jobs after an allowed failure —
 * is checked here on the job graph GitLab would create, as gitlab-ci-local renders it with the components' inputs
 * applied ({@code --preview}), for the README's three-ring pipeline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RenderedJobGraphTest {
    private static final String[] RINGS = {"canary", "early-adopters", "everyone"};

    @TempDir
    static Path tmp;

    private JsonNode jobs;

    @BeforeAll
    void render() throws Exception {
        Optional<GitLabCiLocal> gcl = GitLabCiLocal.find();
        assumeTrue(gcl.isPresent(), GitLabCiLocal.missingReason());
        RolloutRepo repo = new RolloutRepo(tmp, Path.of("rollout.jar"));
        repo.copyTemplates();
        repo.writeThreeRingPlan("http://127.0.0.1:9/metrics");
        repo.writePipeline(repo.threeRingPipeline());
        repo.commit();
        jobs = new ObjectMapper(new YAMLFactory()).readTree(gcl.get().preview(repo.repo, List.of()));
    }

    private JsonNode job(String name) {
        JsonNode job = jobs.path(name);
        assertThat(job.isObject()).as("job " + name + " in\n" + jobs).isTrue();
        return job;
    }

    private static List<String> needs(JsonNode job) {
        List<String> names = new ArrayList<>();
        for (JsonNode n : job.path("needs")) names.add(n.isTextual() ? n.asText() : n.path("job").asText());
        return names;
    }

    private List<String> rolloutJobs() {
        List<String> names = new ArrayList<>();
        jobs.fieldNames().forEachRemaining(n -> {
            if (n.startsWith("rollout:")) names.add(n);
        });
        return names;
    }

    @Test
    void everyRolloutJobIsSerialisedPerKeyAndNeverInterrupted() {
        assertThat(rolloutJobs()).hasSize(3 + RINGS.length * 3);
        for (String name : rolloutJobs()) {
            assertThat(job(name).path("resource_group").asText()).as(name).isEqualTo("staged-rollout/checkout/production");
            assertThat(job(name).path("interruptible").asBoolean(true)).as(name).isFalse();
        }
    }

    @Test
    void aRingJobIsNotAllowedToFailSoAHeldRingStopsTheRingsAfterIt() {
        for (String ring : RINGS) {
            JsonNode job = job("rollout:" + ring);
            assertThat(job.path("allow_failure").isMissingNode() || job.path("allow_failure").asText().equals("false"))
                    .as("rollout:" + ring + " allow_failure: " + job.path("allow_failure")).isTrue();
            assertThat(job.path("environment").path("action").asText()).isEqualTo("start");
            assertThat(job.path("environment").path("name").asText()).isEqualTo("production/" + ring);
        }
        assertThat(needs(job("rollout:canary"))).containsExactly("rollout:start");
        assertThat(needs(job("rollout:early-adopters"))).containsExactly("rollout:canary");
        assertThat(needs(job("rollout:everyone"))).containsExactly("rollout:promote:early-adopters");
    }

    @Test
    void onlyTheManualRingHasABlockingPromoteJob() {
        JsonNode promote = job("rollout:promote:early-adopters");
        assertThat(promote.path("rules").get(1).path("when").asText()).isEqualTo("manual");
        assertThat(promote.path("rules").get(1).path("allow_failure").asBoolean(true)).isFalse();
        assertThat(promote.path("environment").path("action").asText()).isEqualTo("verify");
        for (String auto : List.of("canary", "everyone")) {
            JsonNode rules = job("rollout:promote:" + auto).path("rules");
            boolean created = false;
            for (JsonNode rule : rules) {
                if (!rule.has("if") && !"never".equals(rule.path("when").asText())) created = true;
                if (rule.path("if").asText().contains("SR_APPROVAL == \"manual\"")) created = false;
            }
            assertThat(created).as("rollout:promote:" + auto + " is never created for an auto ring").isFalse();
        }
    }

    @Test
    void aRingsRollbackJobRunsOnItsFailureAndRevertsOnlyWhatWasLeftInFlight() {
        for (String ring : RINGS) {
            JsonNode rollback = job("rollout:rollback:" + ring);
            assertThat(needs(rollback)).containsExactly("rollout:" + ring);
            assertThat(rollback.path("rules").get(1).path("when").asText()).isEqualTo("on_failure");
            assertThat(rollback.path("script").get(0).asText()).contains("--if-in-flight").contains("--rollout-id");
        }
    }

    @Test
    void thePersonsDecisionJobsAreBoundToThePipelinesRolloutAndNeverBlock() {
        for (String name : List.of("rollout:promote", "rollout:rollback")) {
            JsonNode job = job(name);
            assertThat(job.path("needs").get(0).path("job").asText()).isEqualTo("rollout:start");
            assertThat(job.path("needs").get(0).path("optional").asBoolean()).isTrue();
            assertThat(job.path("script").get(0).asText()).contains("--rollout-id \"${ROLLOUT_ID:-}\"");
        }
        JsonNode rollback = job("rollout:rollback");
        assertThat(rollback.path("when").asText()).isEqualTo("manual");
        assertThat(rollback.path("allow_failure").asBoolean()).isTrue();
        assertThat(rollback.path("manual_confirmation").asText()).isNotBlank();
        assertThat(rollback.has("rules")).as("a deploy freeze keeps the rollback").isFalse();
    }

    @Test
    void onlyRingJobsPublishTheGateVerdictsAsATestReport() {
        for (String name : rolloutJobs()) {
            JsonNode artifacts = job(name).path("artifacts");
            boolean ringJob = List.of(RINGS).stream().anyMatch(r -> name.equals("rollout:" + r));
            assertThat(artifacts.path("reports").has("junit")).as(name).isEqualTo(ringJob);
            assertThat(artifacts.path("paths").toString().contains("gates.xml")).as(name).isEqualTo(ringJob);
            assertThat(artifacts.path("reports").path("dotenv").asText()).as(name).isEqualTo("rollout.env");
            assertThat(artifacts.path("when").asText()).as(name).isEqualTo("always");
        }
    }

    @Test
    void deployingJobsStayOutOfADeployFreeze() {
        for (String name : rolloutJobs()) {
            if (name.equals("rollout:rollback")) continue;
            JsonNode first = job(name).path("rules").get(0);
            assertThat(first.path("if").asText()).as(name).isEqualTo("$CI_DEPLOY_FREEZE");
            assertThat(first.path("when").asText()).as(name).isEqualTo("never");
        }
    }
}
