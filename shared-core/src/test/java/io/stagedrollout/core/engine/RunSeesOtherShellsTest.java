package io.stagedrollout.core.engine;

import static io.stagedrollout.core.testing.TestRollouts.ALICE;
import static io.stagedrollout.core.testing.TestRollouts.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.testing.FakeClock;
import io.stagedrollout.core.testing.TestRollouts;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blocking `run` and a person in another shell: what the person commits is acted on within a second of the
 * engine's clock, not at the next gate measurement (which may be minutes away).
 */
class RunSeesOtherShellsTest {
    static final RolloutKey KEY = new RolloutKey("checkout", "production");
    static final Actor BOB = new Actor("bob", "cli", null);
    @TempDir
    Path dir;
    final FakeClock clock = new FakeClock(T0);

    /** Canary bakes 30 minutes and is measured once at its start; nothing would look again for 30 minutes. */
    static final String PLAN = """
            service: checkout
            environment: production
            rings:
              - {name: canary, exposure: 5%, bake: 30m, gates: [g]}
              - {name: everyone, exposure: 100%, bake: 0s}
            gates:
              g: {kind: command, command: [sh, -c, 'exit 0'], interval: 30m}
            actions:
              deploy: {kind: command, command: [sh, -c, 'exit 0']}
              revert: {kind: command, command: [sh, -c, 'exit 0']}
            """;

    RolloutEngine engine(Sleeper sleeper) {
        return new RolloutEngine(new FileRolloutStore(dir.resolve("state")), RolloutEngine.Runtime.system(dir), clock, sleeper,
                EngineListener.NONE);
    }

    /** A sleeper that advances the clock and, once 10 s into the bake, lets `act` run as another shell would. */
    Sleeper otherShellAfterTenSeconds(AtomicReference<Instant> actedAt, ThrowingAction act) {
        return d -> {
            clock.advance(d);
            if (actedAt.get() == null && !clock.instant().isBefore(T0.plusSeconds(10))) {
                actedAt.set(clock.instant());
                try {
                    act.run(engine(Sleeper.REAL));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        };
    }

    interface ThrowingAction {
        void run(RolloutEngine other) throws Exception;
    }

    @Test
    void aForcedPromoteFromAnotherShellEndsTheBakeWithinASecond() throws Exception {
        AtomicReference<Instant> promotedAt = new AtomicReference<>();
        RolloutEngine run = engine(otherShellAfterTenSeconds(promotedAt, other -> other.promote(KEY, "canary", true, "ship it", BOB)));
        run.start(TestRollouts.plan(PLAN), "2.0.0", "1.0.0", ALICE);

        EngineResult r = run.run(KEY, false, ALICE);

        assertThat(r.state().status()).isEqualTo(Status.COMPLETED);
        RolloutEvent everyone = run.history(KEY).stream()
                .filter(e -> e.type().equals(EventType.RING_DEPLOYING) || e.type().equals(EventType.RING_DEPLOYED))
                .filter(e -> "everyone".equals(e.ring())).findFirst().orElseThrow();
        assertThat(Duration.between(promotedAt.get(), everyone.at())).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRollbackFromAnotherShellStopsTheBakeWithinASecond() throws Exception {
        AtomicReference<Instant> rolledBackAt = new AtomicReference<>();
        // the other shell runs inside this test's thread, so it cannot wait for the lease the run holds (a real
        // `rollback` would, in its own process): it records the rollback and leaves the revert to the driver
        RolloutEngine run = engine(otherShellAfterTenSeconds(rolledBackAt, other -> other
                .asDriver("rollout rollback (bob)", LeasePolicy.DEFAULT.withRollbackWait(Duration.ZERO))
                .rollback(KEY, "pager", BOB, true)));
        run.start(TestRollouts.plan(PLAN), "2.0.0", "1.0.0", ALICE);

        EngineResult r = run.run(KEY, false, ALICE);

        assertThat(r.state().status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(Duration.between(rolledBackAt.get(), clock.instant())).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }
}
