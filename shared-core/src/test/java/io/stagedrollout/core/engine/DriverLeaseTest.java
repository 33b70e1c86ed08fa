package io.stagedrollout.core.engine;

import static io.stagedrollout.core.testing.TestRollouts.ALICE;
import static io.stagedrollout.core.testing.TestRollouts.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stagedrollout.core.action.ProcessControl;
import io.stagedrollout.core.action.ProcessGroups;
import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.InFlightEffect;
import io.stagedrollout.core.store.Lease;
import io.stagedrollout.core.store.LeaseHolder;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutLeases;
import io.stagedrollout.core.testing.FakeClock;
import io.stagedrollout.core.testing.TestRollouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One driver per key: the engine takes the key's lease before any effect, on a fake clock (no real time). */
class DriverLeaseTest {
    static final RolloutKey KEY = new RolloutKey("checkout", "production");
    static final LeasePolicy POLICY = new LeasePolicy(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMinutes(10),
            Duration.ofSeconds(2));
    @TempDir
    Path dir;
    final FakeClock clock = new FakeClock(T0);

    RolloutPlan plan() {
        return TestRollouts.plan("""
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: 2m, gates: [g]}
                  - {name: everyone, exposure: 100%, bake: 2m, gates: [g]}
                gates:
                  g: {kind: command, command: ["true"], interval: 30s}
                actions:
                  deploy: {kind: command, command: [sh, -c, 'echo "deploy $ROLLOUT_RING $ROLLOUT_FENCING_TOKEN" >> actions.log']}
                  revert: {kind: command, command: [sh, -c, 'echo "revert $ROLLOUT_VERSION" >> actions.log']}
                """);
    }

    FileRolloutStore store() {
        return new FileRolloutStore(dir.resolve("state"));
    }

    RolloutEngine engine(Sleeper sleeper) {
        return new RolloutEngine(store(), RolloutEngine.Runtime.system(dir), clock, sleeper, EngineListener.NONE)
                .asDriver("test driver", POLICY);
    }

    static LeaseHolder elsewhere() {
        return new LeaseHolder("rollout run (bob)", "other-host", "other-machine", 4711, "2026-11-26T09:00:00Z", "s-1");
    }

    List<String> log() throws Exception {
        Path f = dir.resolve("actions.log");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    @Test
    void aSecondDriverWaitsForTheLeaseThenGivesUpNamingTheHolderAndChangesNothing() throws Exception {
        RolloutEngine e = engine(clock.sleeper());
        RolloutState s = e.start(plan(), "2.0.0", "1.0.0", ALICE).state();
        store().leases().acquire(KEY, new RolloutLeases.Claim(elsewhere(), s.id(), Duration.ofMinutes(5), 0, false), T0);

        EngineResult r = e.advance(KEY, ALICE);

        assertThat(r.kind()).isEqualTo(EngineResult.Kind.CONFLICT);
        assertThat(r.message()).contains("another driver holds the lease").contains("rollout run (bob)").contains("other-host");
        assertThat(clock.instant()).isEqualTo(T0.plus(POLICY.leaseWait()));
        assertThat(e.status(KEY).orElseThrow().revision()).isEqualTo(s.revision());
        assertThat(log()).isEmpty();
    }

    @Test
    void aCrashedDriversLeaseOnAnotherMachineLapsesAndTheNextDriverResumes() throws Exception {
        RolloutEngine e = new RolloutEngine(store(), RolloutEngine.Runtime.system(dir), clock, clock.sleeper(), EngineListener.NONE)
                .asDriver("test driver", POLICY.withLeaseWait(Duration.ofMinutes(2)));
        RolloutState s = e.start(plan(), "2.0.0", "1.0.0", ALICE).state();
        store().leases().acquire(KEY, new RolloutLeases.Claim(elsewhere(), s.id(), Duration.ofSeconds(30), 0, false), T0);

        EngineResult r = e.advance(KEY, ALICE);

        assertThat(r.state().status()).isEqualTo(Status.PROMOTING);
        assertThat(e.history(KEY).stream().filter(ev -> ev.type().equals(EventType.RING_DEPLOYING)).findFirst().orElseThrow().at())
                .as("nothing was done before the lease lapsed").isAfterOrEqualTo(T0.plusSeconds(30));
        assertThat(log()).containsExactly("deploy canary 2");
    }

    @Test
    void aDeadHoldersLeaseOnThisMachineIsTakenOverAtOnceAndItsLeftoverDeployEndedFirst() throws Exception {
        assumeTrue(LocalMachine.machine() != null && ProcessGroups.available(), "needs Linux /proc and setsid");
        RolloutEngine e = engine(clock.sleeper());
        RolloutState s = e.start(plan(), "2.0.0", "1.0.0", ALICE).state();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        LeaseHolder dead = new LeaseHolder("rollout run", LocalMachine.host(), LocalMachine.machine(), gone.pid(),
                "2026-11-26T09:00:00Z", "s-dead");
        // the crashed driver's deploy still runs, orphaned, in its own session
        ProcessBuilder pb = new ProcessBuilder("setsid", "sleep", "300");
        pb.environment().put(ProcessControl.TAG_VARIABLE, "deploy:checkout/production:" + s.id() + ":1:orphan");
        Process orphan = pb.start();
        Lease l = store().leases().acquire(KEY, new RolloutLeases.Claim(dead, s.id(), Duration.ofMinutes(5), 0, false), T0);
        store().leases().recordEffects(l, List.of(new InFlightEffect("deploy", "canary", "deploy:checkout/production:" + s.id()
                + ":1:orphan", LocalMachine.machine(), LocalMachine.host(), 0, T0.plusSeconds(600))), T0);

        EngineResult r = e.advance(KEY, ALICE);

        assertThat(orphan.waitFor(30, TimeUnit.SECONDS)).as("the orphaned deploy was ended").isTrue();
        assertThat(r.state().status()).isEqualTo(Status.PROMOTING);
        assertThat(e.history(KEY).stream().filter(ev -> ev.type().equals(EventType.RING_DEPLOYING)).findFirst().orElseThrow().at())
                .as("taken over at once, not after the lease's five minutes").isBefore(T0.plusSeconds(60));
        assertThat(store().leases().read(KEY).orElseThrow().token()).isEqualTo(2);
        assertThat(store().leases().read(KEY).orElseThrow().effects()).isEmpty();
    }

    @Test
    void aDeployLeftRunningOnAnotherMachineIsWaitedForBeforeAnyEffect() throws Exception {
        RolloutEngine e = engine(clock.sleeper());
        RolloutState s = e.start(plan(), "2.0.0", "1.0.0", ALICE).state();
        Lease l = store().leases().acquire(KEY, new RolloutLeases.Claim(elsewhere(), s.id(), Duration.ofSeconds(30), 0, false), T0);
        store().leases().recordEffects(l, List.of(new InFlightEffect("deploy", "canary", "t", "other-machine", "other-host",
                99, T0.plusSeconds(40))), T0);
        clock.advance(Duration.ofSeconds(31)); // its driver crashed: the lease lapsed

        e.advance(KEY, ALICE);

        assertThat(e.history(KEY).stream().filter(ev -> ev.type().equals(EventType.RING_DEPLOYING)).findFirst().orElseThrow().at())
                .isAfterOrEqualTo(T0.plusSeconds(40));
    }

    @Test
    void aDriverWhoseLeaseIsTakenOverStopsWithoutTouchingAnythingMore() throws Exception {
        AtomicBoolean takenOver = new AtomicBoolean();
        long[] revisionAtTakeover = new long[1];
        Sleeper sleeper = d -> {
            clock.advance(d);
            if (!takenOver.get() && clock.instant().isAfter(T0.plusSeconds(45))) {
                try {
                    // another driver decides this one is gone (a network partition) and takes over
                    Lease current = store().leases().read(KEY).orElseThrow();
                    store().leases().acquire(KEY, new RolloutLeases.Claim(elsewhere(), current.rolloutId(), Duration.ofMinutes(5),
                            current.token(), true), clock.instant());
                    revisionAtTakeover[0] = store().read(KEY).orElseThrow().revision();
                    takenOver.set(true);
                } catch (Exception ex) {
                    throw new AssertionError(ex);
                }
            }
        };
        RolloutEngine e = engine(sleeper);
        e.start(plan(), "2.0.0", "1.0.0", ALICE);

        EngineResult r = e.run(KEY, true, ALICE);

        assertThat(takenOver).isTrue();
        assertThat(r.kind()).isEqualTo(EngineResult.Kind.CONFLICT);
        assertThat(r.message()).contains("lost the lease").contains("without touching anything");
        assertThat(store().read(KEY).orElseThrow().revision()).isEqualTo(revisionAtTakeover[0]);
        assertThat(store().leases().read(KEY).orElseThrow().holder()).isEqualTo(elsewhere());
    }

    @Test
    void aStoppedDriverJournalsWhereItLeftTheRolloutAndHowToResumeAndGivesTheLeaseBack() throws Exception {
        RolloutEngine[] engine = new RolloutEngine[1];
        Sleeper sleeper = d -> {
            clock.advance(d);
            if (clock.instant().isAfter(T0.plusSeconds(40))) engine[0].requestStop("SIGTERM");
        };
        engine[0] = engine(sleeper);
        RolloutState s = engine[0].start(plan(), "2.0.0", "1.0.0", ALICE).state();

        EngineResult r = engine[0].run(KEY, false, ALICE);

        assertThat(r.message()).contains("stopped (SIGTERM)");
        RolloutEvent last = engine[0].history(KEY).get(engine[0].history(KEY).size() - 1);
        assertThat(last.type()).isEqualTo(EventType.DRIVER_STOPPED);
        assertThat(last.reason()).contains("BAKING").contains("rollout advance --rollout checkout/production --rollout-id " + s.id());
        assertThat(store().leases().read(KEY).orElseThrow().released()).isTrue();
        assertThat(engine[0].awaitIdle(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void everyDriverCommitCarriesTheLeaseAndItIsGivenBackWhenTheDriverEnds() throws Exception {
        RolloutEngine e = engine(clock.sleeper());
        e.start(plan(), "2.0.0", "1.0.0", ALICE);
        e.run(KEY, true, ALICE);
        Lease l = store().leases().read(KEY).orElseThrow();
        assertThat(l.released()).isTrue();
        assertThat(l.token()).isEqualTo(1);
        assertThat(log()).containsExactly("deploy canary 1", "deploy everyone 1");
    }
}
