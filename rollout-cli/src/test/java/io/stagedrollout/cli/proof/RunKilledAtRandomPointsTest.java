package io.stagedrollout.cli.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
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
 * Crash safety of {@code rollout run}: the real JAR is SIGKILLed at random instants of a rollout whose deploys and
 * reverts are {@code command} actions and whose gates are a {@code command} and an {@code http} gate. After every
 * kill the store must be consistent, and running the same command again must end where an uninterrupted run ends.
 * {@code -Dcrash.runs=N} (the {@code crash} profile sets 200) sets the number of kills.
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
        long[] took = new long[2];
        long[] firstCommit = new long[2];
        End goodEnd = uninterrupted(GOOD, took, firstCommit, 0);
        End badEnd = uninterrupted(BAD, took, firstCommit, 1);
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
            // kill instants spread over the rollout itself, from a little before its first commit (JVM start-up is
            // not interesting) to a little before its end
            int slot = good ? 0 : 1;
            long from = firstCommit[slot] * 3 / 4;
            long delay = from + (long) (random.nextDouble() * (took[slot] * 0.95 - from));
            if (!r.process().waitFor(delay, TimeUnit.MILLISECONDS)) {
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
            assertThat(end).as("run %d (%s, killed after %d ms): %s", run, version, delay, resumed.stderr())
                    .isEqualTo(good ? goodEnd : badEnd);
            StoreChecks.assertConsistent(work.resolve(".rollout"), KEY);
        }
        System.out.printf("crash: %d runs, %d killed mid-run; states found after the kill: %s; "
                + "bad versions already rolled back when killed (the rerun started a new attempt): %d%n", runs, killed, killedIn, newAttempts);
        if (runs >= 4) assertThat(killed).as("runs killed before they ended").isGreaterThanOrEqualTo(runs / 2);
    }

    private End uninterrupted(String version, long[] took, long[] firstCommit, int slot) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("baseline-" + version));
        Files.writeString(work.resolve("plan.yaml"), plan());
        long t0 = System.nanoTime();
        Cli.Running running = Cli.start(work, Map.of(), "run", "plan.yaml", "--version", version, "--stable-version", "1.0.0");
        Path state = work.resolve(".rollout/crash/test/state.json");
        while (!Files.exists(state) && running.process().isAlive()) Thread.sleep(5);
        firstCommit[slot] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        Cli.Result r = running.await(120);
        took[slot] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        StoreChecks.assertConsistent(work.resolve(".rollout"), KEY);
        return end(work, r.exit());
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
