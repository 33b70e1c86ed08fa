package io.stagedrollout.cli.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.StoreProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The randomized driver suite (profile {@code chaos}: {@code -Dchaos.rounds=N}, {@code -Dchaos.seed},
 * {@code -Dchaos.store=file|postgres}). Each round starts a rollout and lets several drivers ({@code run} and
 * {@code advance} processes of the real JAR) race for it while a chaos loop SIGTERMs and SIGKILLs them at random
 * instants, starts more, and sometimes rolls the rollout back from yet another process. Then one last driver finishes
 * it, and the round checks:
 * <ul>
 *   <li>deploys of a ring ≤ 1 per driver token (the actions log carries the fencing token);</li>
 *   <li>after ROLLED_BACK the last effect is a revert, and no deploy is ever logged after it (even by an orphan);</li>
 *   <li>no event lost: the journal is contiguous, every applied rollback is in it, every deploy that ran was
 *   committed first (RING_DEPLOYING), every measurement slot counts once;</li>
 *   <li>no effect process of the key survives the round.</li>
 * </ul>
 */
@EnabledIfSystemProperty(named = "chaos.rounds", matches = "[1-9][0-9]*", disabledReason = "the long randomized suite: -Pchaos")
class RandomDriversChaosTest {
    @TempDir
    Path tmp;

    record Figures(int rounds, int drivers, int sigterms, int sigkills, int rollbacks, int takeovers, int stoppedEffects,
            int driverStops, int refusedDrivers, Map<String, Integer> ends, long millis) {}

    static String plan(String environment, long seed) {
        Random r = new Random(seed);
        return """
                service: chaos
                environment: ENV
                rings:
                  - {name: canary, exposure: 10%, bake: 300ms, gates: [quick]}
                  - {name: half, exposure: 50%, bake: 300ms, gates: [quick]}
                  - {name: everyone, exposure: 100%, bake: 300ms, gates: [quick]}
                gates:
                  quick: {kind: command, command: ["true"], interval: 100ms}
                actions:
                  deploy: {kind: command, command: [sh, -c, 'echo "start deploy $ROLLOUT_RING $ROLLOUT_VERSION $ROLLOUT_FENCING_TOKEN" >> actions.log; sleep SECS; echo "end deploy $ROLLOUT_RING $ROLLOUT_VERSION $ROLLOUT_FENCING_TOKEN" >> actions.log']}
                  revert: {kind: command, command: [sh, -c, 'echo "start revert $ROLLOUT_FENCING_TOKEN" >> actions.log; sleep 0.2; echo "end revert $ROLLOUT_FENCING_TOKEN" >> actions.log']}
                """.replace("ENV", environment).replace("SECS", String.format(java.util.Locale.ROOT, "%.2f", 0.2 + r.nextDouble() * 1.3));
    }

    @Test
    void driversKilledAtRandomNeverDoubleADeployNorUndoARollbackNorLoseAnEvent() throws Exception {
        assumeTrue(Effects.available(), "needs Linux /proc and setsid");
        int rounds = Integer.getInteger("chaos.rounds");
        long seed = Long.getLong("chaos.seed", 20261205L);
        boolean postgres = "postgres".equals(System.getProperty("chaos.store", "file"));
        String pgUrl = postgres ? EmbeddedPostgresServer.newDatabase() : null;
        Map<String, String> env = postgres ? EmbeddedPostgresServer.env() : Map.of();
        Random random = new Random(seed);
        int drivers = 0, sigterms = 0, sigkills = 0, rollbacks = 0, takeovers = 0, stoppedEffects = 0, driverStops = 0, refused = 0;
        Map<String, Integer> ends = new TreeMap<>();
        long t0 = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            RolloutKey key = new RolloutKey("chaos", "r" + round);
            Path work = Files.createDirectories(tmp.resolve("round-" + round));
            Files.writeString(work.resolve("plan.yaml"), plan(key.environment(), random.nextLong()));
            String location = postgres ? pgUrl : work.resolve(".rollout").toString();
            Cli.Result started = Cli.run(work, env, 120, "start", "plan.yaml", "--version", "2." + round, "--stable-version", "1.0",
                    "--store", location);
            assertThat(started.exit()).as(started.all()).isZero();

            List<Cli.Running> live = new ArrayList<>();
            List<Cli.Running> all = new ArrayList<>();
            List<String> rollbackActors = new ArrayList<>();
            long until;
            int starts = 2 + random.nextInt(3);
            for (int i = 0; i < starts; i++) {
                Cli.Running d = driver(work, env, location, key, random);
                live.add(d);
                all.add(d);
                drivers++;
            }
            boolean rolledBack = false;
            // the chaos begins once a driver works (JVMs start slowly on a loaded machine): a condition, not a time
            awaitFirstDeploy(work, live);
            until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(6000 + random.nextInt(8000));
            while (System.nanoTime() < until) {
                Thread.sleep(100 + random.nextInt(500));
                live.removeIf(d -> !d.process().isAlive());
                int dice = random.nextInt(10);
                if (dice < 4 && !live.isEmpty()) {
                    // mostly the driver holding the lease: that is where a signal hurts
                    Cli.Running victim = holder(location, env, key, live).filter(h -> random.nextInt(10) < 7)
                            .orElse(live.get(random.nextInt(live.size())));
                    live.remove(victim);
                    if (dice < 2) {
                        victim.process().destroy(); // SIGTERM, as a cancelled CI job
                        sigterms++;
                    } else {
                        victim.process().destroyForcibly(); // SIGKILL
                        sigkills++;
                    }
                } else if (dice < 6) {
                    Cli.Running d = driver(work, env, location, key, random);
                    live.add(d);
                    all.add(d);
                    drivers++;
                } else if (dice == 6 && !rolledBack && random.nextBoolean()) {
                    String actor = "chaos-rollback-" + round;
                    Cli.Running rb = Cli.start(work, merged(env, Map.of("ROLLOUT_ACTOR", actor)), "rollback", "--rollout",
                            key.toString(), "--reason", "chaos", "--store", location, "--output", "json");
                    all.add(rb);
                    rollbackActors.add(actor);
                    rolledBack = true;
                    rollbacks++;
                }
            }
            for (Cli.Running d : all) {
                Cli.Result r = d.await(300);
                if (Boolean.getBoolean("chaos.verbose")) {
                    System.out.println("round " + round + " exit " + r.exit() + ": " + r.all().replace('\n', '|'));
                }
                if (r.all().contains("took over the")) takeovers++;
                if (r.exit() == 5 && r.all().contains("another driver holds the lease")) refused++;
            }
            // one last driver finishes whatever the chaos left: the rollout ends COMPLETED or ROLLED_BACK
            Cli.Result last = Cli.run(work, env, 300, "advance", "--rollout", key.toString(), "--store", location);
            if (last.all().contains("took over the")) takeovers++;
            for (int i = 0; i < 10 && !terminal(location, env, key); i++) {
                last = Cli.run(work, env, 300, "advance", "--rollout", key.toString(), "--store", location);
                if (last.all().contains("took over the")) takeovers++;
            }
            assertThat(terminal(location, env, key)).as("round %d ends: %s", round, last.all()).isTrue();
            // anything still running of an effect would log within its sleep; give it the time, then look
            Thread.sleep(2000);
            assertThat(Effects.running("deploy:" + key + ":")).as("round %d: deploys running", round).isEmpty();
            assertThat(Effects.running("revert:" + key + ":")).as("round %d: reverts running", round).isEmpty();
            assertThat(Effects.running("gate:" + key + ":")).as("round %d: gates running", round).isEmpty();

            List<String> log = Files.exists(work.resolve("actions.log")) ? Files.readAllLines(work.resolve("actions.log")) : List.of();
            try (RolloutStore store = open(location, env)) {
                RolloutState s = store.read(key).orElseThrow();
                List<RolloutEvent> history = store.history(key);
                ends.merge(s.status().name(), 1, Integer::sum);
                check(round, s, history, log, rollbackActors);
                stoppedEffects += (int) history.stream().filter(e -> e.type().equals("EFFECT_STOPPED")).count();
                driverStops += (int) history.stream().filter(e -> e.type().equals("DRIVER_STOPPED")).count();
            }
            if (!postgres) StoreChecks.assertConsistent(work.resolve(".rollout"), key);
        }
        Figures f = new Figures(rounds, drivers, sigterms, sigkills, rollbacks, takeovers, stoppedEffects, driverStops, refused,
                ends, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        System.out.println("chaos (" + (postgres ? "postgres" : "file") + " store, seed " + seed + "): " + f);
    }

    /** Waits (generous deadline) until some driver has started deploying. */
    private static void awaitFirstDeploy(Path work, List<Cli.Running> drivers) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        Path log = work.resolve("actions.log");
        while (!Files.exists(log) || Files.size(log) == 0) {
            assertThat(System.nanoTime()).as("a driver deploys within 240 s").isLessThan(deadline);
            assertThat(drivers).as("drivers alive").anyMatch(d -> d.process().isAlive());
            Thread.sleep(20);
        }
    }

    /** The live driver process that holds the key's lease now, if it is one of ours. */
    private static java.util.Optional<Cli.Running> holder(String location, Map<String, String> env, RolloutKey key,
            List<Cli.Running> live) throws Exception {
        try (RolloutStore store = open(location, env)) {
            var lease = store.leases().read(key);
            if (lease.isEmpty() || lease.get().released()) return java.util.Optional.empty();
            long pid = lease.get().holder().pid();
            return live.stream().filter(d -> d.process().pid() == pid).findFirst();
        }
    }

    private static Cli.Running driver(Path work, Map<String, String> env, String location, RolloutKey key, Random random)
            throws Exception {
        return random.nextBoolean()
                ? Cli.start(work, env, "run", "plan.yaml", "--version", "2." + key.environment().substring(1), "--lease-wait", "20s",
                        "--store", location)
                : Cli.start(work, env, "advance", "--rollout", key.toString(), "--lease-wait", "20s", "--store", location);
    }

    private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new HashMap<>(a);
        m.putAll(b);
        return m;
    }

    private static RolloutStore open(String location, Map<String, String> env) throws Exception {
        var p = StoreProvider.find(location);
        return p.isPresent() ? p.get().open(location, env) : new FileRolloutStore(Path.of(location));
    }

    private static boolean terminal(String location, Map<String, String> env, RolloutKey key) throws Exception {
        try (RolloutStore store = open(location, env)) {
            return store.read(key).map(s -> s.status().isTerminal()).orElse(false);
        }
    }

    /** The round's invariants. */
    static void check(int round, RolloutState s, List<RolloutEvent> history, List<String> log, List<String> rollbackActors) {
        // deploys of a ring <= 1 per driver token
        assertThat(DriverScenarios.deployStartsByRingAndToken(log).values()).as("round %d: deploys per ring and token: %s", round, log)
                .allSatisfy(n -> assertThat(n).isEqualTo(1));
        // no event lost: contiguous revisions, every applied rollback journaled, every deploy committed first
        long expected = 1;
        for (RolloutEvent e : history) {
            assertThat(e.revision()).as("round %d: contiguous revisions", round).isBetween(Math.max(1, expected - 1), expected);
            expected = e.revision() + 1;
        }
        for (String actor : rollbackActors) {
            boolean journaled = history.stream().anyMatch(e -> e.type().equals("ROLLBACK_STARTED") && e.actor() != null
                    && actor.equals(e.actor().name()));
            boolean otherwise = s.status().name().equals("COMPLETED") || history.stream().anyMatch(e -> e.type().equals("ROLLBACK_STARTED"));
            assertThat(journaled || otherwise).as("round %d: the rollback by %s is in the journal", round, actor).isTrue();
        }
        for (String l : log) {
            if (!l.startsWith("start deploy ")) continue;
            String ring = l.split(" ")[2];
            assertThat(history).as("round %d: a deploy of %s ran only after it was committed", round, ring)
                    .anyMatch(e -> e.type().equals("RING_DEPLOYING") && ring.equals(e.ring()));
        }
        var slots = new java.util.HashSet<String>();
        for (RolloutEvent e : history) {
            if (e.type().equals("MEASURED")) {
                assertThat(slots.add(e.rolloutId() + "/" + e.ring() + "/" + e.evidence().get("gate") + "/" + e.evidence().get("slot")))
                        .as("round %d: slot counted twice: %s", round, e).isTrue();
            }
        }
        // after ROLLED_BACK the last effect is a revert, and nothing deploys after it
        if (s.status().name().equals("ROLLED_BACK")) {
            assertThat(log).as("round %d: %s", round, log).isNotEmpty();
            assertThat(log.get(log.size() - 1)).as("round %d: the last effect: %s", round, log).startsWith("end revert");
            int firstRevertEnd = -1;
            for (int i = 0; i < log.size(); i++) if (log.get(i).startsWith("end revert")) { firstRevertEnd = i; break; }
            assertThat(log.subList(firstRevertEnd, log.size())).as("round %d: nothing deploys after the revert: %s", round, log)
                    .noneMatch(l -> l.contains("deploy"));
        } else {
            assertThat(s.status().name()).isEqualTo("COMPLETED");
        }
    }
}
