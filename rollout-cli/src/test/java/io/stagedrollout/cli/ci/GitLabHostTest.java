package io.stagedrollout.cli.ci;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.machine.Actor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitLabHostTest {
    private static final Map<String, String> JOB = Map.of(
            "GITLAB_CI", "true",
            "GITLAB_USER_LOGIN", "alice",
            "GITLAB_USER_NAME", "Alice Liddell",
            "CI_PIPELINE_ID", "4711",
            "CI_PIPELINE_URL", "https://gitlab.example.com/acme/app/-/pipelines/4711",
            "CI_JOB_NAME", "rollout:canary",
            "CI_JOB_URL", "https://gitlab.example.com/acme/app/-/jobs/99",
            "CI_JOB_TOKEN", "glcbt-secret-token",
            "CI_COMMIT_SHA", "abc123");

    @Test
    void recognisesAGitLabJobByGitlabCi() {
        assertThat(new GitLabHost().detects(JOB)).isTrue();
        assertThat(new GitLabHost().detects(Map.of("GITLAB_CI", "false"))).isFalse();
        assertThat(new GitLabHost().detects(Map.of())).isFalse();
    }

    @Test
    void aGitlabCiLocalJobIsAGitLabJobToo() {
        // gitlab-ci-local marks local runs with GITLAB_CI=false but sets the job's variables as GitLab does
        assertThat(new GitLabHost().detects(Map.of("GITLAB_CI", "false", "CI_JOB_ID", "12", "GITLAB_USER_LOGIN", "bob")))
                .isTrue();
    }

    @Test
    void actorIsTheUserViaGitlabWithPipelineJobAndJobUrl() {
        Actor actor = new GitLabHost().actor(JOB);

        assertThat(actor.via()).isEqualTo("gitlab");
        assertThat(actor.name()).isEqualTo("alice (pipeline 4711, job rollout:canary)");
        assertThat(actor.url()).isEqualTo("https://gitlab.example.com/acme/app/-/jobs/99");
    }

    @Test
    void actorWithoutUserVariablesIsNamedGitlab() {
        Actor actor = new GitLabHost().actor(Map.of("GITLAB_CI", "true"));

        assertThat(actor.name()).isEqualTo("gitlab");
        assertThat(actor.url()).isNull();
    }

    @Test
    void originNamesPipelineJobAndCommitButNeverTheJobToken() {
        Map<String, String> origin = new GitLabHost().origin(JOB);

        assertThat(origin).containsEntry("CI_PIPELINE_URL", "https://gitlab.example.com/acme/app/-/pipelines/4711")
                .containsEntry("CI_JOB_URL", "https://gitlab.example.com/acme/app/-/jobs/99")
                .containsEntry("CI_COMMIT_SHA", "abc123")
                .doesNotContainKey("CI_JOB_TOKEN");
        assertThat(origin.values()).noneMatch(v -> v.contains("secret"));
    }

    @Test
    void outsideCiTheFallbackActorIsUsed() {
        Actor local = new Actor("bob", "cli", null);

        assertThat(CiHosts.actor(Map.of(), local)).isSameAs(local);
        assertThat(CiHosts.actor(JOB, local).via()).isEqualTo("gitlab");
    }
}
