package io.stagedrollout.core.engine;

import static io.stagedrollout.core.testing.TestRollouts.ALICE;
import static io.stagedrollout.core.testing.TestRollouts.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.testing.FakeClock;
import io.stagedrollout.core.testing.TestRollouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine end to end: real file store, real command gates and actions, a fake clock. */
class RolloutEngineTest {
    static final RolloutKey KEY = new RolloutKey("checkout", "production");
    @TempDir
    Path dir;
    final FakeClock clock = new FakeClock(T0);

    RolloutPlan plan(String gateCommand, String extraRing) {
        return TestRollouts.plan("""
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: 1m, gates: [g]}
                  - {name: everyone, exposure: 100%, bake: 1m, gates: [g]EXTRA}
                gates:
                  g: {kind: command, command: [sh, -c, 'GATE'], interval: 30s}
                actions:
                  deploy: {kind: command, command: [sh, -c, 'echo "deploy $ROLLOUT_RING $ROLLOUT_PERCENT $ROLLOUT_VERSION" >> "$LOG"'], passEnv: [LOG]}
                  revert: {kind: command, command: [sh, -c, 'echo "revert $ROLLOUT_VERSION" >> "$LOG"'], passEnv: [LOG]}
                """.replace("EXTRA", extraRing).replace("GATE", gateCommand));
    }

    RolloutEngine engine() {
        var env = new java.util.HashMap<>(System.getenv());
        env.put("LOG", dir.resolve("actions.log").toString());
        var runtime = new RolloutEngine.Runtime(
                new io.stagedrollout.core.gate.GateEnvironment(env, dir, java.net.http.HttpClient.newHttpClient(), clock),
                new io.stagedrollout.core.action.ActionEnvironment(env, dir, java.net.http.HttpClient.newHttpClient()));
        return new RolloutEngine(new FileRolloutStore(dir.resolve("state")), runtime, clock, clock.sleeper(), EngineListener.NONE);
    }

    List<String> log() throws Exception {
        Path f = dir.resolve("actions.log");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    List<String> types(RolloutEngine e) throws Exception {
        return e.history(KEY).stream().map(RolloutEvent::type).toList();
    }

    @Test
    void aGoodVersionIsDeployedBakedAndPromotedRingByRing() throws Exception {
        RolloutEngine e = engine();
        e.start(plan("exit 0", ""), "2.0.0", "1.0.0", ALICE);
        EngineResult r = e.run(KEY, false, ALICE);
        assertThat(r.state().status()).isEqualTo(Status.COMPLETED);
        assertThat(log()).containsExactly("deploy canary 5 2.0.0", "deploy everyone 100 2.0.0");
        // each ring bakes a minute and is measured at 0s, 30s and 60s
        assertThat(clock.instant()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
        assertThat(e.history(KEY)).filteredOn(ev -> ev.type().equals(EventType.MEASURED)).hasSize(6);
        assertThat(r.state().lastGoodVersion()).isEqualTo("2.0.0");
    }

    @Test
    void aFailingGateRevertsAtOnceWithoutWaitingOutTheBake() throws Exception {
        RolloutEngine e = engine();
        e.start(plan("exit 1", ""), "2.0.0", "1.0.0", ALICE);
        EngineResult r = e.advance(KEY, ALICE);
        assertThat(r.state().status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(clock.instant()).isEqualTo(T0);
        assertThat(log()).containsExactly("deploy canary 5 2.0.0", "revert 1.0.0");
        assertThat(r.state().reason()).isEqualTo("g failed 1 of 1 measurements, failureLimit 0 (last: sh exited with 1)");
    }

    @Test
    void anInconclusiveRingIsHeldForAPerson() throws Exception {
        RolloutEngine e = engine();
        RolloutPlan p = TestRollouts.plan("""
                service: checkout
                environment: production
                rings: [{name: all, exposure: 100%, bake: 0s, gates: [g]}]
                gates:
                  g: {kind: command, command: [sh, -c, 'exit 3'], inconclusiveExitCodes: [3]}
                """);
        e.start(p, "2.0.0", "1.0.0", ALICE);
        e.beginRing(KEY, 0, ALICE, false);
        e.ringDeployed(KEY, 0, true, "by hand", ALICE);
        EngineResult r = e.advance(KEY, ALICE);
        assertThat(r.kind()).isEqualTo(EngineResult.Kind.NOT_YET);
        assertThat(r.state().status()).isEqualTo(Status.AWAITING_APPROVAL);
        assertThat(r.state().hold()).isEqualTo("inconclusive");
    }

    @Test
    void tickNeverSleepsAndSaysWhenToComeBack() throws Exception {
        RolloutEngine e = engine();
        e.start(plan("exit 0", ""), "2.0.0", "1.0.0", ALICE);
        e.beginRing(KEY, 0, ALICE, true);
        RolloutEngine.Tick t = e.tick(KEY, ALICE);
        assertThat(clock.instant()).isEqualTo(T0);
        assertThat(t.wakeAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(t.result().state().gates().get(0).measurements()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(10));
        assertThat(e.tick(KEY, ALICE).result().state().gates().get(0).measurements()).isEqualTo(1);
    }

    @Test
    void anInterruptedBakeResumesWithTheMeasurementsItAlreadyHas() throws Exception {
        RolloutEngine first = engine();
        first.start(plan("exit 0", ""), "2.0.0", "1.0.0", ALICE);
        first.beginRing(KEY, 0, ALICE, true);
        first.tick(KEY, ALICE);
        clock.advance(Duration.ofSeconds(30));
        first.tick(KEY, ALICE);
        // the process dies here; a new one picks up from the store
        RolloutEngine second = engine();
        EngineResult r = second.advance(KEY, ALICE);
        assertThat(r.state().status()).isEqualTo(Status.PROMOTING);
        assertThat(r.state().verdict().gates().get(0).progress().measurements()).isEqualTo(3);
        assertThat(log()).containsExactly("deploy canary 5 2.0.0");
    }

    @Test
    void aDeployInterruptedBeforeItsResultIsRunAgainOnResume() throws Exception {
        RolloutEngine e = engine();
        e.start(plan("exit 0", ""), "2.0.0", "1.0.0", ALICE);
        e.beginRing(KEY, 0, ALICE, false); // DEPLOYING committed, then the process died before deploying
        EngineResult r = engine().advance(KEY, ALICE);
        assertThat(log()).containsExactly("deploy canary 5 2.0.0");
        assertThat(r.state().status()).isEqualTo(Status.PROMOTING);
    }

    @Test
    void aFailedDeployRollsBack() throws Exception {
        RolloutEngine e = engine();
        RolloutPlan p = TestRollouts.plan("""
                service: checkout
                environment: production
                rings: [{name: all, exposure: 100%}]
                actions:
                  deploy: {kind: command, command: [sh, -c, 'echo boom; exit 7']}
                  revert: {kind: command, command: [sh, -c, 'echo "revert $ROLLOUT_VERSION" >> "$LOG"'], passEnv: [LOG]}
                """);
        e.start(p, "2.0.0", "1.0.0", ALICE);
        EngineResult r = e.advance(KEY, ALICE);
        assertThat(r.state().status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(r.state().reason()).contains("deploy of ring all failed: sh exited with 7 (last output: boom)");
        assertThat(log()).containsExactly("revert 1.0.0");
    }

    @Test
    void aManualRingWaitsUntilSomeoneElsePromotesIt() throws Exception {
        RolloutEngine e = engine();
        e.start(plan("exit 0", ", approval: manual"), "2.0.0", "1.0.0", ALICE);
        Thread approver = new Thread(() -> {
            try {
                RolloutEngine other = engine();
                while (other.status(KEY).orElseThrow().status() != Status.AWAITING_APPROVAL) Thread.sleep(5);
                other.promote(KEY, "everyone", false, "ship it", new io.stagedrollout.core.machine.Actor("bob", "cli", null));
            } catch (Exception ex) {
                throw new RuntimeException(ex);
            }
        });
        approver.start();
        EngineResult r = e.run(KEY, false, ALICE);
        approver.join();
        assertThat(r.state().status()).isEqualTo(Status.COMPLETED);
        assertThat(e.history(KEY)).filteredOn(ev -> ev.type().equals(EventType.PROMOTED))
                .last().satisfies(ev -> assertThat(ev.actor().name()).isEqualTo("bob"));
    }

    @Test
    void autoApprovePromotesManualRingsThatPassed() throws Exception {
        RolloutEngine e = engine();
        e.start(plan("exit 0", ", approval: manual"), "2.0.0", "1.0.0", ALICE);
        assertThat(e.run(KEY, true, ALICE).state().status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void aCompletedRolloutCanBeRolledBackToThePreviousGoodVersion() throws Exception {
        RolloutEngine e = engine();
        e.start(plan("exit 0", ""), "2.0.0", "1.0.0", ALICE);
        e.run(KEY, false, ALICE);
        EngineResult r = e.rollback(KEY, "customers complain", ALICE, true);
        assertThat(r.state().status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(log()).last().isEqualTo("revert 1.0.0");
        // the next rollout reverts to what was good before the rolled-back one
        EngineResult next = e.start(plan("exit 0", ""), "2.0.1", null, ALICE);
        assertThat(next.state().stableVersion()).isEqualTo("1.0.0");
    }

    @Test
    void theNextRolloutRevertsToTheVersionTheLastOneCompleted() throws Exception {
        RolloutEngine e = engine();
        e.start(plan("exit 0", ""), "2.0.0", "1.0.0", ALICE);
        e.run(KEY, false, ALICE);
        assertThat(e.start(plan("exit 0", ""), "2.1.0", null, ALICE).state().stableVersion()).isEqualTo("2.0.0");
        assertThat(types(e)).startsWith(EventType.STARTED).contains(EventType.COMPLETED).endsWith(EventType.STARTED);
    }

    @Test
    void aGateThatCannotBeSetUpCountsAsAnErrorAndNeverPassesOrCrashesTheDriver() throws Exception {
        // a plan stored by an older release whose judge gate this release refuses (no metrics): open() throws
        RolloutPlan valid = TestRollouts.plan("""
                service: checkout
                environment: production
                rings: [{name: all, exposure: 100%, bake: 1m, gates: [j]}]
                gates:
                  j: {kind: judge, interval: 30s, consecutiveErrorLimit: 1, onError: revert,
                      metrics: [{name: p99, source: {kind: file, path: samples.jsonl}}]}
                actions:
                  deploy: {kind: command, command: [sh, -c, 'echo "deploy $ROLLOUT_VERSION" >> "$LOG"'], passEnv: [LOG]}
                  revert: {kind: command, command: [sh, -c, 'echo "revert $ROLLOUT_VERSION" >> "$LOG"'], passEnv: [LOG]}
                """);
        var j = valid.gates().get("j");
        var broken = new io.stagedrollout.core.plan.GateSpec(j.name(), j.kind(), j.interval(), j.count(), j.initialDelay(),
                j.failureLimit(), j.inconclusiveLimit(), j.consecutiveErrorLimit(), j.dryRun(), java.util.Map.of("metrics", List.of()),
                j.onError());
        RolloutPlan p = new RolloutPlan(valid.service(), valid.environment(), valid.strategy(), valid.rings(),
                java.util.Map.of("j", broken), valid.actions());
        RolloutEngine e = engine();
        e.start(p, "2.0.0", "1.0.0", ALICE);
        EngineResult r = e.advance(KEY, ALICE);
        assertThat(e.history(KEY)).filteredOn(ev -> ev.type().equals(EventType.MEASURED)).isNotEmpty()
                .allSatisfy(ev -> assertThat(ev.reason()).contains("could not be set up", "invalid judge gate j"));
        assertThat(r.state().status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(log()).containsExactly("deploy 2.0.0", "revert 1.0.0");
    }
}
