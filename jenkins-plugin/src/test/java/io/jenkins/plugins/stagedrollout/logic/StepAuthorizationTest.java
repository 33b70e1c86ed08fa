package io.jenkins.plugins.stagedrollout.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.stagedrollout.logic.StepAuthorization.Act;
import org.junit.jupiter.api.Test;

class StepAuthorizationTest {
    OwnerRegistry.InMemory owners = new OwnerRegistry.InMemory(RolloutOwners.parse("checkout/production: team/deploy"));
    BuildCaller owner = new BuildCaller("team/deploy", "SYSTEM", true, true);

    @Test
    void theOwnerMayDoEverything() throws Exception {
        for (Act act : Act.values()) {
            assertThat(StepAuthorization.check(owners, "checkout/production", owner, act).allowed()).isTrue();
        }
    }

    @Test
    void aBuildWithoutTheRollbackPermissionIsRefusedNamingIt() {
        BuildCaller alice = new BuildCaller("team/deploy", "alice", true, false);

        assertThatThrownBy(() -> StepAuthorization.check(owners, "checkout/production", alice, Act.ROLLBACK))
                .isInstanceOf(StageException.class)
                .hasMessage("cannot roll back checkout/production: the build runs as alice, who lacks Staged"
                        + " Rollout/Rollback on job team/deploy")
                .extracting(e -> ((StageException) e).reason()).isEqualTo(StageException.Reason.FORBIDDEN);
    }

    @Test
    void anotherJobMayNotPromoteEvenWithThePermission() {
        BuildCaller other = new BuildCaller("other/job", "SYSTEM", true, true);

        assertThatThrownBy(() -> StepAuthorization.check(owners, "checkout/production", other, Act.PROMOTE))
                .hasMessageContaining("belongs to team/deploy");
    }

    @Test
    void onlyAStartClaimsAKeyNobodyOwns() throws Exception {
        BuildCaller search = new BuildCaller("search/deploy", "SYSTEM", true, true);

        assertThatThrownBy(() -> StepAuthorization.check(owners, "search/production", search, Act.ROLLBACK))
                .hasMessageContaining("has no owner yet");
        assertThat(owners.decide("search/production", "search/deploy").standing()).isEqualTo(RolloutOwners.Standing.UNOWNED);

        assertThat(StepAuthorization.check(owners, "search/production", search, Act.START).standing())
                .isEqualTo(RolloutOwners.Standing.OWNER);
    }
}
