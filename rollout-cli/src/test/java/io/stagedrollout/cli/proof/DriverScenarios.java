package io.stagedrollout.cli.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's scenarios, through the real JAR as separate processes, on a store both CLI processes and this test
 * reach ({@link #location()}): a rollback is never undone by a deploy in flight (even one orphaned by a SIGKILLed
 * driver), two drivers never double a deploy or a measurement, a SIGTERMed driver leaves nothing running and says
 * what it left. Every deploy and revert logs its fencing token; no effect process may outlive its rollout.
 */
abstract class DriverScenarios {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Unique per test, so a shared database never mixes tests' rollouts. */
    final RolloutKey key = new RolloutKey("shop", "t" + Long.toString(System.nanoTime() % 1_000_000_000_000L, 36));
    @TempDir
    Path work;

    /** The --store location the processes share. */
    abstract String location();

    /** What the processes need in their environment for that store. */
    abstract Map<String, String> storeEnv();

    abstract RolloutStore openStore() throws Exception;

    @BeforeEach
    void linux() {
        assumeTrue(Effects.available(), "needs Linux /proc and setsid");
    }

    /** Three rings; deploys log start and end with the fencing token, and take {@code deploySeconds}. */
    String plan(double deploySeconds, String bake, String gates) {
        return """
                service: shop
                environment: ENV
                rings:
                  - {name: canary, exposure: 10%, bake: BAKE, gates: [GATES]}
                  - {name: half, exposure: 50%, bake: BAKE}
                  - {name: everyone, exposure: 100%, bake: BAKE}
                gates:
                  once-failing:
                    kind: command
                    command: [sh, -c, '[ -e failed-once ] && exit 0; touch failed-once; exit 1']
                    count: 3
                    interval: 200ms
                    failureLimit: 1
                actions:
                  deploy: {kind: command, command: [sh, -c, 'echo "start deploy $ROLLOUT_RING $ROLLOUT_VERSION $ROLLOUT_FENCING_TOKEN" >> actions.log; sleep SECS; echo "end deploy $ROLLOUT_RING $ROLLOUT_VERSION $ROLLOUT_FENCING_TOKEN" >> actions.log']}
                  revert: {kind: command, command: [sh, -c, 'echo "revert $ROLLOUT_VERSION $ROLLOUT_FENCING_TOKEN" >> actions.log']}
                """.replace("ENV", key.environment()).replace("BAKE", bake).replace("GATES", gates)
                .replace("SECS", Double.toString(deploySeconds));
    }

    String[] withStore(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--store");
        a.add(location());
        return a.toArray(String[]::new);
    }

    Cli.Result cli(String... args) throws Exception {
        return Cli.run(work, storeEnv(), 240, withStore(args));
    }

    Cli.Running background(String... args) throws Exception {
        return Cli.start(work, storeEnv(), withStore(args));
    }

    List<String> log() throws Exception {
        Path f = work.resolve("actions.log");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    void awaitLog(String line, Cli.Running running) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (log().stream().noneMatch(l -> l.startsWith(line))) {
            assertThat(System.nanoTime() < deadline && running.process().isAlive())
                    .as("waiting for '%s' in the actions log: %s", line, running.stderr().getNow("")).isTrue();
            Thread.sleep(20);
        }
    }

    RolloutState state() throws Exception {
        try (RolloutStore s = openStore()) {
            return s.read(key).orElseThrow();
        }
    }

    List<RolloutEvent> history() throws Exception {
        try (RolloutStore s = openStore()) {
            return s.history(key);
        }
    }

    /** The deploy processes of this key still running: none may outlive the rollout. */
    List<Long> deploysRunning() {
        return Effects.running("deploy:" + key + ":");
    }

    static JsonNode json(Cli.Result r) throws Exception {
        return JSON.readTree(r.stdout());
    }

    @Test
    void aRollbackWhileADeployIsInFlightStopsTheDeployAndTheRevertIsTheLastEffect() throws Exception {
        Files.writeString(work.resolve("plan.yaml"), plan(60, "0s", ""));
        Cli.Running run = background("run", "plan.yaml", "--version", "2.0", "--stable-version", "1.0");
        awaitLog("start deploy canary", run);
        String id = state().id();

        Cli.Result rollback = cli("rollback", "--rollout", key.toString(), "--rollout-id", id, "--reason", "pager", "--output", "json");
        Cli.Result ran = run.await(120);

        assertThat(rollback.exit()).as(rollback.all()).isZero();
        assertThat(json(rollback).at("/rollout/status").asText()).isEqualTo("ROLLED_BACK");
        assertThat(ran.exit()).as(ran.all()).isEqualTo(3);
        assertThat(deploysRunning()).as("no deploy process outlives the rollback").isEmpty();
        List<String> log = log();
        assertThat(log).hasSize(2);
        assertThat(log.get(0)).startsWith("start deploy canary 2.0 ");
        assertThat(log.get(1)).startsWith("revert 1.0 ");
        assertThat(history()).extracting(RolloutEvent::type).containsSubsequence("ROLLBACK_STARTED", "EFFECT_STOPPED", "ROLLED_BACK");
    }

    @Test
    void aDeployOrphanedByASigkilledDriverIsEndedBeforeTheRollbacksRevert() throws Exception {
        Files.writeString(work.resolve("plan.yaml"), plan(60, "0s", ""));
        Cli.Running run = background("run", "plan.yaml", "--version", "2.0", "--stable-version", "1.0");
        awaitLog("start deploy canary", run);
        run.process().destroyForcibly(); // SIGKILL: the driver cannot end its deploy
        assertThat(run.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(deploysRunning()).as("the deploy is orphaned, still running in its own session").isNotEmpty();

        Cli.Result rollback = cli("rollback", "--rollout", key.toString(), "--reason", "after the crash", "--output", "json");

        assertThat(rollback.exit()).as(rollback.all()).isZero();
        assertThat(json(rollback).at("/rollout/status").asText()).isEqualTo("ROLLED_BACK");
        assertThat(rollback.stderr()).contains("took over the lease").contains("whose process is gone");
        assertThat(deploysRunning()).isEmpty();
        assertThat(log()).hasSize(2).last().asString().startsWith("revert 1.0 2");
    }

    @Test
    void twoRunsOfTheSameRolloutDeployEachRingOnceAndCountEachMeasurementOnce() throws Exception {
        Files.writeString(work.resolve("plan.yaml"), plan(1, "1s", "once-failing"));
        assertThat(cli("start", "plan.yaml", "--version", "2.0", "--stable-version", "1.0").exit()).isZero();
        Cli.Running first = background("run", "plan.yaml", "--version", "2.0");
        awaitLog("start deploy canary", first);
        Cli.Running second = background("run", "plan.yaml", "--version", "2.0", "--lease-wait", "3m");
        Cli.Result impatient = cli("advance", "--rollout", key.toString(), "--lease-wait", "0s");

        Cli.Result a = first.await(180);
        Cli.Result b = second.await(180);

        assertThat(impatient.exit()).as(impatient.all()).isEqualTo(5);
        assertThat(impatient.stderr()).contains("another driver holds the lease").contains("rollout run");
        assertThat(a.exit()).as(a.all()).isZero();
        assertThat(b.exit()).as(b.all()).isZero();
        assertThat(state().status().name()).isEqualTo("COMPLETED");
        // one driver deployed every ring once, under one token; the ring that failed one measurement of three passed
        assertThat(log()).containsExactly("start deploy canary 2.0 1", "end deploy canary 2.0 1", "start deploy half 2.0 1",
                "end deploy half 2.0 1", "start deploy everyone 2.0 1", "end deploy everyone 2.0 1");
        Set<String> slots = new HashSet<>();
        for (RolloutEvent e : history()) {
            if (!e.type().equals("MEASURED")) continue;
            assertThat(slots.add(e.ring() + "/" + e.evidence().get("gate") + "/" + e.evidence().get("slot")))
                    .as("slot counted twice: %s", e).isTrue();
        }
        assertThat(slots).hasSize(3);
    }

    @Test
    void aSigtermedRunEndsItsDeployJournalsWhatItLeftAndGivesTheLeaseBack() throws Exception {
        Files.writeString(work.resolve("plan.yaml"), plan(60, "0s", ""));
        Cli.Running run = background("run", "plan.yaml", "--version", "2.0", "--stable-version", "1.0");
        awaitLog("start deploy canary", run);
        String id = state().id();

        run.process().destroy(); // SIGTERM, as a cancelled CI job
        Cli.Result stopped = run.await(60);

        assertThat(stopped.exit()).isEqualTo(143);
        assertThat(deploysRunning()).isEmpty();
        RolloutEvent last = history().get(history().size() - 1);
        assertThat(last.type()).isEqualTo("DRIVER_STOPPED");
        assertThat(last.reason()).contains("deploy canary").contains("stays DEPLOYING")
                .contains("rollout advance --rollout " + key + " --rollout-id " + id);
        JsonNode status = json(cli("status", "--rollout", key.toString(), "--output", "json"));
        assertThat(status.at("/driver/held").asBoolean()).isFalse();
        Cli.Result rollback = cli("rollback", "--rollout", key.toString(), "--rollout-id", id, "--reason", "cancelled",
                "--lease-wait", "0s");
        assertThat(rollback.exit()).as(rollback.all()).isZero();
        assertThat(log()).hasSize(2).last().asString().startsWith("revert 1.0 2");
    }

    /** Counts per ring of deploy starts by token, from the actions log (for the randomized suite). */
    static Map<String, Integer> deployStartsByRingAndToken(List<String> log) {
        Map<String, Integer> out = new HashMap<>();
        for (String l : log) {
            if (!l.startsWith("start deploy ")) continue;
            String[] f = l.split(" ");
            out.merge(f[2] + "@" + f[4], 1, Integer::sum);
        }
        return out;
    }
}
