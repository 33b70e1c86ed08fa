package io.jenkins.plugins.stagedrollout.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartingJobTest {
    static final String ROOT = "https://ci.example/jenkins/";

    @Test
    void aBuildUrlUnderTheRootNamesItsJob() {
        assertThat(StartingJob.fullName(ROOT + "job/deploy/42/", ROOT)).hasValue("deploy");
    }

    @Test
    void foldersAndEncodedNamesBecomeTheFullName() {
        assertThat(StartingJob.fullName(ROOT + "job/team%20a/job/check+out/7/", ROOT)).hasValue("team a/check+out");
    }

    @Test
    void aBuildOfAnotherControllerIsNoJobHere() {
        assertThat(StartingJob.fullName("https://other.example/job/deploy/42/", ROOT)).isEmpty();
    }

    @Test
    void withoutARootUrlTheRelativeBuildUrlIsRead() {
        assertThat(StartingJob.fullName("job/deploy/3/", null)).hasValue("deploy");
    }

    @Test
    void anythingButABuildUrlIsNoJob() {
        assertThat(StartingJob.fullName(ROOT + "job/deploy/", ROOT)).isEmpty();
        assertThat(StartingJob.fullName(ROOT + "staged-rollouts/", ROOT)).isEmpty();
        assertThat(StartingJob.fullName(null, ROOT)).isEmpty();
    }
}
