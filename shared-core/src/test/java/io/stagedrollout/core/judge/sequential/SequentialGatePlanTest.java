package io.stagedrollout.core.judge.sequential;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.gate.Outcome;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import java.nio.file.Path;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plan with a sequential gate, run end to end by the engine against a live local service's counters. */
class SequentialGatePlanTest {
    @TempDir
    Path dir;
    private CounterServer server;
    private ScheduledExecutorService traffic;

    @BeforeEach
    void start() throws Exception {
        server = new CounterServer();
        traffic = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() {
        traffic.shutdownNow();
        server.close();
    }

    /** 500 canary and 4500 baseline requests a second, erring at the given rates. */
    private void serve(double canaryErrorRate, double baselineErrorRate) {
        SplittableRandom random = new SplittableRandom(1);
        traffic.scheduleAtFixedRate(() -> {
            int ce = 0, be = 0;
            for (int i = 0; i < 10; i++) if (random.nextDouble() < canaryErrorRate) ce++;
            for (int i = 0; i < 90; i++) if (random.nextDouble() < baselineErrorRate) be++;
            server.add(10, ce, 90, be);
        }, 0, 20, TimeUnit.MILLISECONDS);
    }

    private RolloutPlan plan() throws Exception {
        return plan("3s", "alpha: 0.001");
    }

    private RolloutPlan plan(String bake, String extra) throws Exception {
        return PlanReader.parse("""
                service: checkout
                environment: test
                rings:
                  - name: canary
                    exposure: 10%
                    bake: BAKE
                    gates: [errors-vs-baseline]
                  - name: everyone
                    exposure: 100%
                    bake: 0s
                gates:
                  errors-vs-baseline:
                    kind: sequential
                    EXTRA
                    minEffect: 1.5x
                    direction: increase
                    interval: 500ms
                    window: 200ms
                    endpoint: ENDPOINT
                    canary:
                      requests: 'http_requests_total{version="canary"}'
                      errors: 'http_requests_total{version="canary",code=~"5.."}'
                    baseline:
                      requests: 'http_requests_total{version="stable"}'
                      errors: 'http_requests_total{version="stable",code=~"5.."}'
                actions:
                  deploy: {kind: command, command: ["true"]}
                  revert: {kind: command, command: ["true"]}
                """.replace("ENDPOINT", server.url()).replace("BAKE", bake).replace("EXTRA", extra));
    }

    private RolloutState run(String version) throws Exception {
        return run(version, plan());
    }

    private RolloutState run(String version, RolloutPlan plan) throws Exception {
        Actor actor = Actor.system("test");
        try (RolloutEngine engine = new RolloutEngine(new FileRolloutStore(dir.resolve("state")), RolloutEngine.Runtime.system(dir),
                Clock.systemUTC(), EngineListener.NONE)) {
            EngineResult started = engine.start(plan, version, "1.0", actor);
            assertThat(started.kind()).isEqualTo(EngineResult.Kind.APPLIED);
            return engine.run(new RolloutKey("checkout", "test"), true, actor).state();
        }
    }

    @Test
    void aGoodVersionBakesThroughAndCompletes() throws Exception {
        serve(0.01, 0.01);
        RolloutState s = run("2.0");
        assertThat(s.status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void withEarlyPassAGoodVersionEndsAnHourLongBakeOnceARegressionIsRuledOut() throws Exception {
        serve(0.1, 0.1);
        RolloutPlan plan = plan("1h", "alpha: 0.01\n    earlyPass: true");
        // without early pass this would bake for an hour; the deadline only stops a broken build from hanging
        RolloutState s = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofMinutes(5),
                () -> run("2.0", plan));
        assertThat(s.status()).isEqualTo(Status.COMPLETED);
        try (FileRolloutStore store = new FileRolloutStore(dir.resolve("state"))) {
            var passed = store.history(new RolloutKey("checkout", "test")).stream()
                    .filter(e -> e.type().equals(io.stagedrollout.core.machine.EventType.RING_PASSED)).findFirst().orElseThrow();
            assertThat(passed.reason()).contains("errors-vs-baseline passed early after", "1.5x regression is ruled out");
        }
    }

    @Test
    void aVersionThatErrsMoreIsRolledBackBeforeTheBakeEnds() throws Exception {
        serve(0.08, 0.01);
        // an hour-long bake: ending ROLLED_BACK at all proves the gate decided before the bake ended (the deadline
        // only stops a broken build from hanging; no timing is asserted, so a loaded machine cannot fail it)
        RolloutPlan plan = plan("1h", "alpha: 0.001");
        RolloutState s = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofMinutes(5),
                () -> run("2.0", plan));
        assertThat(s.status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(s.verdict().reason()).contains("errors-vs-baseline failed").contains("always-valid p").contains("regression (increase)");
        assertThat(s.verdict().gates().get(0).progress().last().outcome()).isEqualTo(Outcome.FAIL);
    }
}
