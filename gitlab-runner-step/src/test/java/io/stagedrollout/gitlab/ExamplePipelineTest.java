package io.stagedrollout.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/gitlab-ci.yml is a pipeline GitLab accepts with the components' inputs as they are declared. */
class ExamplePipelineTest {
    @TempDir
    Path tmp;

    @Test
    void examplePipelineResolvesToOneJobPerRingWithPromoteAndRollbackJobs() throws Exception {
        Optional<GitLabCiLocal> gcl = GitLabCiLocal.find();
        assumeTrue(gcl.isPresent(), GitLabCiLocal.missingReason());
        Path example = RolloutRepo.componentDir().resolve("../examples/gitlab-ci.yml").normalize();
        RolloutRepo repo = new RolloutRepo(tmp, Path.of("rollout.jar"));
        repo.copyTemplates();
        // The example includes the published project at a release; here the project is the working tree.
        String pipeline = Files.readString(example, StandardCharsets.UTF_8).replace("@0.1.0", "@$CI_COMMIT_SHA");
        repo.writePipeline(pipeline);
        repo.commit("git@gitlab.com:acme/staged-rollout-ci.git");

        GitLabCiLocal.Run run = gcl.get().run(repo.repo, List.of("--list"));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("rollout:start", "rollout:canary", "rollout:promote:early-adopters",
                "rollout:early-adopters", "rollout:everyone", "rollout:rollback:canary", "rollout:rollback ",
                "rollout:promote ", "announce").doesNotContain("rollout:promote:canary");
    }
}
