package io.stagedrollout.cli.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.StateJson;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of {@code rollout run}: the real JAR is SIGKILLed at random points of a rollout whose deploys and
 * reverts are {@code command} actions and whose gates are a {@code command} and an {@code http} gate. After every
 * kill the store must be consistent, and running the same command again must end where an uninterrupted run ends
 * (the killed driver's lease is taken over at once: its process is gone). {@code -Dcrash.runs=N} (the {@code crash}
 * profile sets 200) sets the number of kills.
 *
 * <p>A kill point is a random revision of the uninterrupted run (plus a random delay of up to 50 ms), not a time:
 * the run is killed once the store reaches that revision, so how fast the machine is never decides whether a run
 * is killed before it ends.
 */
class RunKilledAtRandomPointsTest {
    static final RolloutKey KEY = new RolloutKey("crash", "test");
    static final String GOOD = "2.0.0";
    static final String BAD = "2.0.0-bad";
    static HttpServer health;
    static final AtomicInteger probes = new AtomicInteger();

    @TempDir
    Path tmp;

    @BeforeAll
    static void startHealthEndpoint() throws Exception {
        health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        health.createContext("/health", ex -> {
            probes.incrementAndGet();
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        health.start();
    }

    @AfterAll
    static void stopHealthEndpoint() {
        health.stop(0);
    }

    /** Three rings; the bad version passes the canary and fails in `half`, so a kill can land in a revert too. */
    static String plan() {
        return """
                service: crash
                environment: test
                rings:
                  - {name: canary, exposure: 10%, bake: 300ms, gates: [version-check, health]}
                  - {name: half, exposure: 50%, bake: 300ms, gates: [version-check, health]}
                  - {name: everyone, exposure: 100%, bake: 300ms, gates: [version-check, health]}
                gates:
                  version-check:
                    kind: command
                    command: ["sh", "-c", "case \\"$ROLLOUT_VERSION:$ROLLOUT_RING\\" in *-bad:half) exit 1;; esac"]
                    interval: 100ms
                  health:
                    kind: http
                    url: http://127.0.0.1:PORT/health
                    interval: 100ms
                    timeout: 2s
                actions:
                  deploy: {kind: command, command: ["sh", "-c", "echo \\"deploy $ROLLOUT_RING $ROLLOUT_VERSION\\" >> actions.log"]}
                  revert: {kind: command, command: ["sh", "-c", "echo \\"revert $ROLLOUT_VERSION\\" >> actions.log"]}
                """.replace("PORT", String.valueOf(health.getAddress().getPort()));
    }

    /** Where a rollout came to rest, in the terms an uninterrupted run is compared by. */
    record End(int exit, String status, String version, String lastGood, int ringIndex, List<String> milestones, Set<String> actions) {}

    @Test
    void aRunKilledAtAnyInstantLeavesAConsistentStoreAndResumesToTheSameEnd() throws Exception {
        long[] finalRevision = new long[2];
        End goodEnd = uninterrupted(GOOD, finalRevision, 0);
        End badEnd = uninterrupted(BAD, finalRevision, 1);
        assertThat(goodEnd.exit()).isZero();
        assertThat(goodEnd.status()).isEqualTo("COMPLETED");
        assertThat(badEnd.exit()).isEqualTo(3);
        assertThat(badEnd.status()).isEqualTo("ROLLED_BACK");

        int runs = Integer.getInteger("crash.runs", 5);
        Random random = new Random(Long.getLong("crash.seed", 20261126L));
        Map<String, Integer> killedIn = new TreeMap<>();
        int killed = 0;
        int newAttempts = 0;
        for (int run = 0; run < runs; run++) {
            boolean good = run % 2 == 0;
            String version = good ? GOOD : BAD;
            Path work = Files.createDirectories(tmp.resolve("run-" + run));
            Files.writeString(work.resolve("plan.yaml"), plan());
            Cli.Running r = Cli.start(work, Map.of(), "run", "plan.yaml", "--version", version, "--stable-version", "1.0.0");
            // kill points spread over the rollout's commits: once the store reaches a random revision short of the
            // end, after a random delay of up to 50 ms
            int slot = good ? 0 : 1;
            long atRevision = 1 + (long) (random.nextDouble() * (finalRevision[slot] - 2));
            long jitter = random.nextInt(50);
            String delay = "revision " + atRevision + " + " + jitter + " ms";
            if (awaitRevision(work, atRevision, r.process()) && !r.process().waitFor(jitter, TimeUnit.MILLISECONDS)) {
                r.process().destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
                killed++;
            }
            assertThat(r.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            var state = StoreChecks.assertConsistent(work.resolve(".rollout"), KEY);
            if (state.isPresent() && state.get().status().isTerminal() && !good) newAttempts++;
            killedIn.merge(state.map(s -> s.status().name()).orElse("(nothing committed)"), 1, Integer::sum);

            Cli.Result resumed = Cli.run(work, Map.of(), 120, "run", "plan.yaml", "--version", version,
                    "--stable-version", "1.0.0");
            End end = end(work, resumed.exit());
            assertThat(end).as("run %d (%s, killed at %s): %s", run, version, delay, resumed.stderr())
                    .isEqualTo(good ? goodEnd : badEnd);
            StoreChecks.assertConsistent(work.resolve(".rollout"), KEY);
        }
        System.out.printf("crash: %d runs, %d killed mid-run; states found after the kill: %s; "
                + "bad versions already rolled back when killed (the rerun started a new attempt): %d%n", runs, killed, killedIn, newAttempts);
        if (runs >= 4) assertThat(killed).as("runs killed before they ended").isGreaterThanOrEqualTo(runs / 2);
    }

    private End uninterrupted(String version, long[] finalRevision, int slot) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("baseline-" + version));
        Files.writeString(work.resolve("plan.yaml"), plan());
        Cli.Result r = Cli.run(work, Map.of(), 120, "run", "plan.yaml", "--version", version, "--stable-version", "1.0.0");
        var state = StoreChecks.assertConsistent(work.resolve(".rollout"), KEY).orElseThrow();
        finalRevision[slot] = state.revision();
        return end(work, r.exit());
    }

    /**
     * Waits (polling the state file, with a generous deadline) until the run has committed at least {@code revision};
     * false when the run ended first.
     */
    private static boolean awaitRevision(Path work, long revision, Process run) throws Exception {
        Path state = work.resolve(".rollout/crash/test/state.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!run.isAlive()) return false;
            try {
                if (Files.exists(state) && StateJson.readState(Files.readString(state)).revision() >= revision) return true;
            } catch (java.io.IOException renamedMeanwhile) {
                // read again
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the run did not reach revision " + revision + " within 120 s");
    }

    private static End end(Path work, int exit) throws Exception {
        try (FileRolloutStore store = new FileRolloutStore(work.resolve(".rollout"))) {
            RolloutState s = store.read(KEY).orElseThrow();
            // the final rollout's own events: a rollback that completed before the kill makes the rerun a new
            // attempt of the same version (the machine answers "already done" only for a completed version)
            List<String> milestones = store.history(KEY).stream()
                    .filter(e -> e.rolloutId().equals(s.id()))
                    .filter(e -> Set.of("RING_PASSED", "RING_FAILED", "PROMOTED", "ROLLBACK_STARTED", "ROLLED_BACK", "COMPLETED")
                            .contains(e.type()))
                    .map(RunKilledAtRandomPointsTest::milestone)
                    .toList();
            Path log = work.resolve("actions.log");
            Set<String> actions = Files.exists(log) ? new TreeSet<>(Files.readAllLines(log)) : Set.of();
            return new End(exit, s.status().name(), s.version(), s.stableVersion(), s.ringIndex(), milestones, actions);
        }
    }

    private static String milestone(RolloutEvent e) {
        return e.type() + (e.ring() == null ? "" : " " + e.ring());
    }
}
