package io.stagedrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who the journal names, from the variables each host sets (README "Who did it"). */
class ActorsTest {
    @Test
    void aTerminalUserIsNamedByUser() {
        Actors.Identified who = Actors.identify(Map.of("USER", "alice", "LOGNAME", "other"), "root");
        assertThat(who.actor().name()).isEqualTo("alice");
        assertThat(who.actor().via()).isEqualTo("cli");
        assertThat(who.note()).isNull();
    }

    @Test
    void withoutUserLognameNamesThePerson() {
        assertThat(Actors.identify(Map.of("LOGNAME", "bob"), "root").actor().name()).isEqualTo("bob");
    }

    @Test
    void aContainerWithoutLoginVariablesIsNamedByItsAccountAndHostAndSaysSo() {
        Actors.Identified who = Actors.identify(Map.of("HOSTNAME", "3f2a9c1b"), "root");
        assertThat(who.actor().name()).isEqualTo("root@3f2a9c1b");
        assertThat(who.actor().name()).isNotEqualTo("cli");
        assertThat(who.note()).contains("root@3f2a9c1b").contains("USER").contains("ROLLOUT_ACTOR");
    }

    @Test
    void anAccountWithoutAPasswdEntryIsUnknownNotAQuestionMark() {
        Actors.Identified who = Actors.identify(Map.of(), "?");
        assertThat(who.actor().name()).isEqualTo("unknown");
        assertThat(who.note()).contains("ROLLOUT_ACTOR");
    }

    @Test
    void rolloutActorNamesThePersonEverywhere() {
        assertThat(Actors.identify(Map.of("ROLLOUT_ACTOR", "carol"), "root")).satisfies(w -> {
            assertThat(w.actor().name()).isEqualTo("carol");
            assertThat(w.note()).isNull();
        });
        assertThat(Actors.identify(Map.of("ROLLOUT_ACTOR", "carol", "GITHUB_ACTIONS", "true", "GITHUB_ACTOR", "octo"), "runner")
                .actor()).satisfies(a -> {
                    assertThat(a.name()).isEqualTo("carol");
                    assertThat(a.via()).isEqualTo("github");
                });
    }

    @Test
    void aJenkinsShellStepIsNamedByItsBuild() {
        Actors.Identified who = Actors.identify(Map.of("JENKINS_URL", "https://ci.example/", "BUILD_URL",
                "https://ci.example/job/app/42/", "BUILD_TAG", "jenkins-app-42", "USER", "jenkins"), "jenkins");
        assertThat(who.actor().via()).isEqualTo("jenkins");
        assertThat(who.actor().name()).isEqualTo("jenkins (jenkins-app-42)");
        assertThat(who.actor().url()).isEqualTo("https://ci.example/job/app/42/");
        assertThat(Actors.identify(Map.of("JENKINS_URL", "u", "BUILD_URL", "b", "BUILD_USER_ID", "dave"), "x").actor().name())
                .isEqualTo("dave");
    }
}
