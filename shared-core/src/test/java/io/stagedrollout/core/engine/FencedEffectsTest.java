package io.stagedrollout.core.engine;

import static io.stagedrollout.core.testing.TestRollouts.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stagedrollout.core.action.ProcessGroups;
import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.testing.TestRollouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Effects in flight against people's decisions, with real processes (and so the real clock): a rollback committed
 * while a deploy runs stops the deploy's whole process group and the revert runs last; an abort stops it too.
 */
class FencedEffectsTest {
    static final RolloutKey KEY = new RolloutKey("checkout", "production");
    @TempDir
    Path dir;

    @BeforeEach
    void linux() {
        assumeTrue(ProcessGroups.available(), "needs setsid");
    }

    /** A deploy that takes a minute and leaves a background helper, both logging while they live. */
    RolloutPlan plan() {
        return TestRollouts.plan("""
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: 0s}
                  - {name: everyone, exposure: 100%, bake: 0s}
                actions:
                  deploy: {kind: command, command: [sh, -c, 'echo "deploy start $ROLLOUT_RING" >> actions.log; (sleep 60; echo "helper end" >> actions.log) & sleep 60; echo "deploy end $ROLLOUT_RING" >> actions.log']}
                  revert: {kind: command, command: [sh, -c, 'echo "revert to $ROLLOUT_VERSION" >> actions.log']}
                """);
    }

    RolloutEngine engine() {
        return new RolloutEngine(new FileRolloutStore(dir.resolve("state")), RolloutEngine.Runtime.system(dir),
                Clock.systemUTC(), new EngineListener() {
                    @Override
                    public void output(String line) {
                        System.out.println("OUT " + line);
                    }
                })
                .asDriver("test driver", LeasePolicy.DEFAULT.withTtl(Duration.ofSeconds(30)));
    }

    List<String> log() throws Exception {
        Path f = dir.resolve("actions.log");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    void awaitDeployStarted() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!log().contains("deploy start canary")) {
            assertThat(System.nanoTime()).as("the deploy started").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    List<String> types(RolloutEngine e) throws Exception {
        return e.history(KEY).stream().map(RolloutEvent::type).toList();
    }

    @Test
    void aRollbackWhileTheDeployRunsStopsItsWholeProcessGroupAndTheRevertRunsLast() throws Exception {
        RolloutEngine driver = engine();
        driver.start(plan(), "2.0.0", "1.0.0", ALICE);
        CompletableFuture<EngineResult> advanced = CompletableFuture.supplyAsync(() -> {
            try {
                return driver.advance(KEY, ALICE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitDeployStarted();

        EngineResult rolledBack = engine().rollback(KEY, "pager", ALICE, true);
        EngineResult byDriver = advanced.get(60, TimeUnit.SECONDS);

        assertThat(rolledBack.state().status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(byDriver.state().status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(log()).containsExactly("deploy start canary", "revert to 1.0.0");
        assertThat(types(driver)).containsSubsequence(EventType.ROLLBACK_STARTED, EventType.EFFECT_STOPPED, EventType.ROLLED_BACK);
        // nothing of the deploy survives to write after the revert
        Thread.sleep(1500);
        assertThat(log()).containsExactly("deploy start canary", "revert to 1.0.0");
    }

    @Test
    void anAbortWhileTheDeployRunsStopsItAndNothingIsReverted() throws Exception {
        RolloutEngine driver = engine();
        driver.start(plan(), "2.0.0", "1.0.0", ALICE);
        CompletableFuture<EngineResult> advanced = CompletableFuture.supplyAsync(() -> {
            try {
                return driver.advance(KEY, ALICE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitDeployStarted();

        engine().abort(KEY, "wrong build", ALICE);
        EngineResult byDriver = advanced.get(60, TimeUnit.SECONDS);

        assertThat(byDriver.state().status()).isEqualTo(Status.ABORTED);
        assertThat(types(driver)).endsWith(EventType.ABORTED, EventType.EFFECT_STOPPED);
        Thread.sleep(1500);
        assertThat(log()).containsExactly("deploy start canary");
    }

    @Test
    void aDriverToldToStopWhileItDeploysEndsTheDeployJournalsWhatItLeftAndGivesTheLeaseBack() throws Exception {
        RolloutEngine driver = engine();
        driver.start(plan(), "2.0.0", "1.0.0", ALICE);
        CompletableFuture<EngineResult> advanced = CompletableFuture.supplyAsync(() -> {
            try {
                return driver.advance(KEY, ALICE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitDeployStarted();

        driver.requestStop("SIGTERM");
        EngineResult r = advanced.get(60, TimeUnit.SECONDS);

        assertThat(driver.awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(r.message()).contains("stopped (SIGTERM) while deploy canary");
        RolloutEvent last = driver.history(KEY).get(driver.history(KEY).size() - 1);
        assertThat(last.type()).isEqualTo(EventType.DRIVER_STOPPED);
        assertThat(last.reason()).contains("deploy canary").contains("stays DEPLOYING").contains("rollout advance");
        assertThat(driver.lease(KEY).orElseThrow().released()).isTrue();
        assertThat(driver.lease(KEY).orElseThrow().effects()).isEmpty();
        Thread.sleep(1500);
        assertThat(log()).containsExactly("deploy start canary");
    }
}
