package io.jenkins.plugins.stagedrollout.logic;

import static io.jenkins.plugins.stagedrollout.fixtures.TestRollouts.ALICE;
import static io.jenkins.plugins.stagedrollout.fixtures.TestRollouts.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.stagedrollout.fixtures.Plans;
import io.jenkins.plugins.stagedrollout.fixtures.TestRollouts;
import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.machine.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Promote and Rollback buttons: permission first, then the rollout, then the waiting stages. */
class ControlsTest {
    @TempDir
    Path dir;

    TestRollouts t;
    List<String> woken = new ArrayList<>();
    Controls controls;

    static final class Denied extends RuntimeException {
        Denied(Controls.Control c) {
            super("alice is missing the Staged Rollout/" + c + " permission");
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        t = new TestRollouts(dir);
        controls = new Controls(t.service, woken::add);
        t.service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", Plans.parse(t.planText()), true), TestRollouts.AS_ALICE);
        t.service.deployed(KEY, TestRollouts.idOf(t.service), 0, true, "ok", TestRollouts.AS_ALICE);
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void rollbackWithoutThePermissionIsRefusedAndChangesNothing() throws Exception {
        long before = t.service.read(KEY).orElseThrow().revision();

        assertThatThrownBy(() -> controls.rollback(c -> {
            throw new Denied(c);
        }, List.of(KEY), KEY, "because", Target.ANY, TestRollouts.AS_ALICE)).isInstanceOf(Denied.class).hasMessageContaining("ROLLBACK");

        assertThat(t.service.read(KEY).orElseThrow().revision()).isEqualTo(before);
        assertThat(woken).isEmpty();
    }

    @Test
    void promoteWithoutThePermissionIsRefused() {
        assertThatThrownBy(() -> controls.promote(c -> {
            throw new Denied(c);
        }, List.of(KEY), KEY, "canary", Target.ANY, TestRollouts.AS_ALICE)).isInstanceOf(Denied.class).hasMessageContaining("PROMOTE");
    }

    @Test
    void aBuildPageCannotChangeARolloutTheBuildNeverTouched() {
        assertThatThrownBy(() -> controls.rollback(c -> {}, List.of("payments/production"), KEY, "because", Target.ANY, TestRollouts.AS_ALICE))
                .isInstanceOf(StageException.class).hasMessageContaining("did not take part in rollout " + KEY);
    }

    @Test
    void rollbackWithThePermissionRollsBackAndWakesTheStages() throws Exception {
        controls.rollback(c -> {}, List.of(KEY), KEY, "error budget", Target.ANY, TestRollouts.AS_ALICE);

        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.ROLLING_BACK);
        assertThat(woken).containsExactly(KEY);
    }

    @Test
    void rollbackNeedsAReason() {
        assertThatThrownBy(() -> controls.rollback(c -> {}, null, KEY, " ", Target.ANY, TestRollouts.AS_ALICE)).hasMessage("reason: is required");
    }

    @Test
    void aButtonOnAPageShowingAnOlderRolloutChangesNothing() throws Exception {
        long before = t.service.read(KEY).orElseThrow().revision();

        assertThatThrownBy(() -> controls.rollback(c -> {}, List.of(KEY), KEY, "stale page", Target.id("r-0ld00000"),
                TestRollouts.AS_ALICE)).isInstanceOf(StageException.class).hasMessageContaining("nothing was changed");

        assertThat(t.service.read(KEY).orElseThrow().revision()).isEqualTo(before);
        assertThat(woken).isEmpty();
    }
}
