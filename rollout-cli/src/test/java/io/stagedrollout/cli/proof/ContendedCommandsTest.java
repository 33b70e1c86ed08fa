package io.stagedrollout.cli.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many processes (the real JAR) and threads (the engine in this JVM) send promote / rollback / abort for the same
 * rollout at once, against one file store: every transition happens once, every contender gets a definite answer,
 * and the journal holds exactly the events of the answers that said "applied".
 */
class ContendedCommandsTest {
    /** Unique per run, so a shared database store (see the subclass) never sees a previous run's rollout. */
    final RolloutKey KEY = new RolloutKey("contend", "prod-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36));
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PLAN = """
            service: contend
            environment: ENVIRONMENT
            rings:
              - {name: canary, exposure: 10%, bake: 0s, approval: manual}
              - {name: everyone, exposure: 100%, bake: 0s}
            actions:
              deploy: {kind: command, command: ["sh", "-c", "echo \\"deploy $ROLLOUT_RING\\" >> actions.log"]}
              revert: {kind: command, command: ["sh", "-c", "echo \\"revert $ROLLOUT_VERSION\\" >> actions.log"]}
            """;

    @TempDir
    Path work;

    /** The --store location the contenders share: the file store in the test's directory here. */
    String location() {
        return work.resolve(".rollout").toString();
    }

    RolloutStore openStore() throws Exception {
        return new FileRolloutStore(Path.of(location()));
    }

    /** What must hold of the store after the contest; the file store is also checked byte by byte. */
    RolloutState assertConsistent() throws Exception {
        return StoreChecks.assertConsistent(Path.of(location()), KEY).orElseThrow();
    }

    long jvmStartMillis;

    /** One contender's answer: which command, and the result word of the JSON contract. */
    record Answer(String command, String result, int exit) {}

    @Test
    void promotesOfTheSameRingFromProcessesAndThreadsAdvanceTheRolloutOnce() throws Exception {
        awaitingApprovalOfCanary();
        List<Answer> answers = contend(List.of("promote", "promote", "promote", "promote"), List.of("promote", "promote", "promote", "promote"));

        assertThat(answers).hasSize(8).allSatisfy(a -> assertThat(a.exit()).isIn(0, 5));
        assertThat(answers).filteredOn(a -> a.result().equals("applied")).hasSize(1);
        assertThat(answers).extracting(Answer::result).allSatisfy(r -> assertThat(r).isIn("applied", "already-done", "conflict"));
        assertThat(events("PROMOTED")).hasSize(1);
        assertThat(assertConsistent().status()).isEqualTo(Status.PROMOTING);
    }

    @Test
    void promoteRollbackAndAbortRacingEachApplyAtMostOnceAndNoEventIsLost() throws Exception {
        awaitingApprovalOfCanary();
        List<Answer> answers = contend(List.of("promote", "rollback", "abort", "promote", "rollback", "abort"),
                List.of("promote", "rollback", "abort", "rollback"));

        assertThat(answers).hasSize(10).allSatisfy(a -> assertThat(a.exit()).as("%s", a).isIn(0, 5));
        Map<String, String> eventOf = Map.of("promote", "PROMOTED", "rollback", "ROLLBACK_STARTED", "abort", "ABORTED");
        for (var command : eventOf.keySet()) {
            long applied = answers.stream().filter(a -> a.command().equals(command) && a.result().equals("applied")).count();
            assertThat(applied).as("%s applied at most once: %s", command, answers).isLessThanOrEqualTo(1);
            assertThat(events(eventOf.get(command))).as("one %s event per applied %s", eventOf.get(command), command)
                    .hasSize((int) applied);
        }
        assertThat(answers).filteredOn(a -> a.result().equals("applied")).isNotEmpty();
        var state = assertConsistent();
        assertThat(state.status()).isIn(Status.PROMOTING, Status.ROLLED_BACK, Status.ABORTED);
        if (state.status() == Status.ROLLED_BACK) {
            assertThat(Files.readAllLines(work.resolve("actions.log"))).containsOnlyOnce("revert 1.0.0");
        }
    }

    private void awaitingApprovalOfCanary() throws Exception {
        Files.writeString(work.resolve("plan.yaml"), PLAN.replace("ENVIRONMENT", KEY.environment()));
        Cli.Result started = Cli.run(work, "start", "plan.yaml", "--version", "2.0.0", "--stable-version", "1.0.0", "--store", location());
        assertThat(started.exit()).as(started.all()).isZero();
        long t0 = System.nanoTime();
        Cli.Result advanced = Cli.run(work, "advance", "--rollout", KEY.toString(), "--store", location());
        jvmStartMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(advanced.exit()).as(advanced.all()).isEqualTo(4);
    }

    /** Starts every contender at once: each process with its command, and threads driving the engine directly. */
    private List<Answer> contend(List<String> processCommands, List<String> threadCommands) throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Answer>> futures = new ArrayList<>();
            List<Cli.Running> processes = new ArrayList<>();
            for (String c : processCommands) processes.add(Cli.start(work, Map.of("ROLLOUT_ACTOR", "process-" + processes.size()), args(c)));
            RolloutStore store = openStore();
            RolloutEngine engine = new RolloutEngine(store, RolloutEngine.Runtime.system(work), Clock.systemUTC(), EngineListener.NONE);
            for (int i = 0; i < threadCommands.size(); i++) {
                String c = threadCommands.get(i);
                Actor actor = new Actor("thread-" + i, "test", null);
                Callable<Answer> task = () -> {
                    go.await();
                    EngineResult r = switch (c) {
                        case "promote" -> engine.promote(KEY, "canary", false, null, actor);
                        case "rollback" -> engine.rollback(KEY, "racing", actor, true);
                        default -> engine.abort(KEY, "racing", actor);
                    };
                    return new Answer(c, word(r.kind()), r.kind() == EngineResult.Kind.CONFLICT ? 5 : 0);
                };
                futures.add(pool.submit(task));
            }
            // release the threads about when the processes have started their JVMs and reach the store
            Thread.sleep(jvmStartMillis * 3 / 4);
            go.countDown();
            List<Answer> answers = new ArrayList<>();
            for (var f : futures) answers.add(f.get());
            for (int i = 0; i < processes.size(); i++) {
                Cli.Result r = processes.get(i).await(120);
                JsonNode out = JSON.readTree(r.stdout());
                assertThat(out.path("exitCode").asInt()).isEqualTo(r.exit());
                answers.add(new Answer(processCommands.get(i), out.path("result").asText(), r.exit()));
            }
            store.close();
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String word(EngineResult.Kind kind) {
        return switch (kind) {
            case APPLIED -> "applied";
            case ALREADY_DONE -> "already-done";
            case CONFLICT -> "conflict";
            default -> kind.name();
        };
    }

    private String[] args(String command) {
        return switch (command) {
            case "promote" -> new String[] {"promote", "--rollout", KEY.toString(), "--ring", "canary", "--output", "json", "--store", location()};
            case "rollback" -> new String[] {"rollback", "--rollout", KEY.toString(), "--reason", "racing", "--output", "json", "--store", location()};
            default -> new String[] {"abort", "--rollout", KEY.toString(), "--reason", "racing", "--output", "json", "--store", location()};
        };
    }

    private List<RolloutEvent> events(String type) throws Exception {
        try (RolloutStore store = openStore()) {
            return store.history(KEY).stream().filter(e -> e.type().equals(type)).toList();
        }
    }
}
