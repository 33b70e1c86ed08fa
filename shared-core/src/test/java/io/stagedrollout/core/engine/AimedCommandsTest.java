package io.stagedrollout.core.engine;

import static io.stagedrollout.core.testing.TestRollouts.ALICE;
import static io.stagedrollout.core.testing.TestRollouts.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.machine.Target;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.testing.FakeClock;
import io.stagedrollout.core.testing.TestRollouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engine commands bound to a rollout never act on the key's newer rollout. */
class AimedCommandsTest {
    static final RolloutKey KEY = new RolloutKey("checkout", "production");
    @TempDir
    Path dir;
    final FakeClock clock = new FakeClock(T0);

    static RolloutPlan plan(String secondApproval) {
        return TestRollouts.plan("""
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: 1m, gates: [g]}
                  - {name: everyone, exposure: 100%, bake: 1m, gates: [g], approval: APPROVAL}
                gates:
                  g: {kind: command, command: ["true"], interval: 30s}
                """.replace("APPROVAL", secondApproval));
    }

    RolloutEngine engine(Sleeper sleeper) {
        return new RolloutEngine(new FileRolloutStore(dir), RolloutEngine.Runtime.system(dir), clock, sleeper, EngineListener.NONE);
    }

    @Test
    void aPromoteFromAnEndedRolloutsNoticeIsRefusedAndTheNewerRolloutIsUnchanged() throws Exception {
        RolloutEngine e = engine(clock.sleeper());
        String old = e.start(plan("manual"), "2.0.0", "1.0.0", ALICE).state().id();
        e.abort(KEY, "replaced", ALICE);
        RolloutState newer = e.start(plan("manual"), "2.1.0", "1.0.0", ALICE).state();

        EngineResult r = e.promote(KEY, Target.id(old), "canary", true, null, ALICE);

        assertThat(r.kind()).isEqualTo(EngineResult.Kind.CONFLICT);
        assertThat(r.message()).contains(old).contains("2.0.0").contains("ABORTED").contains(newer.id()).contains("2.1.0");
        assertThat(e.status(KEY).orElseThrow().revision()).isEqualTo(newer.revision());
    }

    @Test
    void aRollbackAimedAtTheCurrentRolloutApplies() throws Exception {
        RolloutEngine e = engine(clock.sleeper());
        RolloutState s = e.start(plan("auto"), "2.0.0", "1.0.0", ALICE).state();
        EngineResult r = e.rollback(KEY, new Target(s.id(), "2.0.0"), "pager", ALICE, false);
        assertThat(r.kind()).isEqualTo(EngineResult.Kind.APPLIED);
        assertThat(r.state().status()).isEqualTo(Status.ROLLING_BACK);
    }

    @Test
    void anAutoApprovingRunWhoseRolloutIsReplacedStopsAndNeverApprovesTheNewerOnesManualRing() throws Exception {
        AtomicBoolean replaced = new AtomicBoolean();
        RolloutEngine[] other = new RolloutEngine[1];
        // while the old run bakes its canary, someone aborts it and starts 2.1 from another shell
        Sleeper sleeper = d -> {
            clock.advance(d);
            if (!replaced.get() && clock.instant().isAfter(T0.plusSeconds(20))) {
                replaced.set(true);
                try {
                    other[0].abort(KEY, "superseded", ALICE);
                    other[0].start(plan("manual"), "2.1.0", "1.0.0", ALICE);
                } catch (io.stagedrollout.core.store.RolloutStore.StoreException ex) {
                    throw new AssertionError(ex);
                }
            }
        };
        RolloutEngine runner = engine(sleeper);
        other[0] = engine(clock.sleeper());
        RolloutState old = runner.start(plan("auto"), "2.0.0", "1.0.0", ALICE).state();

        EngineResult r = runner.run(KEY, true, ALICE);

        assertThat(replaced).isTrue();
        assertThat(r.kind()).isEqualTo(EngineResult.Kind.CONFLICT);
        assertThat(r.message()).contains(old.id()).contains("2.1.0");
        RolloutState now = other[0].status(KEY).orElseThrow();
        assertThat(now.version()).isEqualTo("2.1.0");
        assertThat(now.status()).isEqualTo(Status.PENDING);
        assertThat(other[0].history(KEY)).filteredOn(ev -> ev.rolloutId().equals(now.id()))
                .extracting(ev -> ev.type()).containsExactly(EventType.STARTED);
        assertThat(clock.instant()).isBefore(T0.plus(Duration.ofMinutes(5)));
    }
}
