package io.stagedrollout.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.testing.StoreWriterMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many writers on one rollout, in threads and in separate JVMs, each with its own connections: promoting the same
 * ring advances the rollout exactly once, and compare-and-set appends lose no event.
 */
class ConcurrentWritersTest {
    private static final RolloutKey KEY = new RolloutKey("checkout", "production");
    private String url;
    private PostgresRolloutStore store;

    @BeforeEach
    void open() throws Exception {
        url = EmbeddedPostgresFixture.newDatabase();
        store = PostgresRolloutStore.open(PostgresLocation.parse(url, EmbeddedPostgresFixture.env()));
    }

    private RolloutEngine engine() {
        return new RolloutEngine(store, RolloutEngine.Runtime.system(Path.of(".")), Clock.systemUTC(), EngineListener.NONE);
    }

    /** A rollout whose canary passed and waits for a person to promote it. */
    private RolloutState awaitingApproval() throws Exception {
        RolloutEngine e = engine();
        assertThat(e.start(Rollouts.plan("checkout", "production"), "2.0.0", "1.0.0", Rollouts.ACTOR).kind())
                .isEqualTo(EngineResult.Kind.APPLIED);
        EngineResult r = e.advance(KEY, Rollouts.ACTOR);
        assertThat(r.state().status()).as(r.message()).isEqualTo(Status.AWAITING_APPROVAL);
        assertThat(r.state().ringName()).isEqualTo("canary");
        return r.state();
    }

    private static long promotions(List<RolloutEvent> history) {
        return history.stream().filter(ev -> ev.type().equals(EventType.PROMOTED)).count();
    }

    @Test
    void manyThreadsPromotingTheSameRingAdvanceItOnce() throws Exception {
        RolloutState before = awaitingApproval();
        int threads = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<EngineResult>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String who = "thread " + i;
                RolloutEngine e = engine();
                results.add(pool.submit((Callable<EngineResult>) () -> {
                    go.await();
                    return e.promote(KEY, "canary", false, who, Rollouts.ACTOR);
                }));
            }
            go.countDown();
            Map<EngineResult.Kind, Integer> kinds = new HashMap<>();
            for (Future<EngineResult> f : results) kinds.merge(f.get(30, TimeUnit.SECONDS).kind(), 1, Integer::sum);
            assertThat(kinds).containsEntry(EngineResult.Kind.APPLIED, 1)
                    .containsEntry(EngineResult.Kind.ALREADY_DONE, threads - 1);
        } finally {
            pool.shutdownNow();
        }
        RolloutState after = store.read(KEY).orElseThrow();
        assertThat(after.revision()).isEqualTo(before.revision() + 1);
        assertThat(promotions(store.history(KEY))).isEqualTo(1);
    }

    @Test
    void manyThreadsAppendingLoseNoEvent() throws Exception {
        store.commit(KEY, 0, Rollouts.state("checkout", "production", 1, Status.BAKING), List.of());
        int threads = 6;
        int each = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) StoreWorker.appendWithRetry(store, KEY, "worker " + id + " event " + i);
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.read(KEY).orElseThrow().revision()).isEqualTo(1 + threads * each);
        List<RolloutEvent> history = store.history(KEY);
        assertThat(history).hasSize(threads * each);
        assertThat(history).extracting(RolloutEvent::reason).doesNotHaveDuplicates();
        assertThat(history).extracting(RolloutEvent::revision).isSorted();
    }

    @Test
    void severalProcessesPromotingTheSameRingAdvanceItOnce(@TempDir Path signals) throws Exception {
        RolloutState before = awaitingApproval();
        List<String> outputs = runWorkers("promote", 4, 0, signals);
        assertThat(outputs).filteredOn(o -> o.contains("RESULT APPLIED")).hasSize(1);
        assertThat(outputs).filteredOn(o -> o.contains("RESULT ALREADY_DONE")).hasSize(3);
        assertThat(store.read(KEY).orElseThrow().revision()).isEqualTo(before.revision() + 1);
        assertThat(promotions(store.history(KEY))).isEqualTo(1);
    }

    @Test
    void severalProcessesAppendingLoseNoEvent(@TempDir Path signals) throws Exception {
        store.commit(KEY, 0, Rollouts.state("checkout", "production", 1, Status.BAKING), List.of());
        int processes = 3;
        int each = 20;
        List<String> outputs = runWorkers("append", processes, each, signals);
        assertThat(outputs).allSatisfy(o -> assertThat(o).contains("RESULT APPENDED " + each));
        assertThat(store.read(KEY).orElseThrow().revision()).isEqualTo(1 + processes * each);
        assertThat(store.history(KEY)).hasSize(processes * each)
                .extracting(RolloutEvent::reason).doesNotHaveDuplicates();
    }

    @Test
    void writersKilledMidCommitLeaveNoTornStateAndNoOrphanEvent() throws Exception {
        store.commit(KEY, 0, Rollouts.state("checkout", "production", 1, Status.BAKING), List.of());
        for (int run = 0; run < 3; run++) {
            long before = store.read(KEY).orElseThrow().revision();
            Process writer = StoreWriterMain.spawn(url + "?user=postgres", 0); // commits until killed
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (store.read(KEY).orElseThrow().revision() < before + 20) {
                    assertThat(writer.isAlive()).as("the writer runs").isTrue();
                    assertThat(System.nanoTime()).as("the writer commits within 30s").isLessThan(deadline);
                    Thread.sleep(10);
                }
            } finally {
                writer.destroyForcibly(); // SIGKILL, most likely inside a transaction
                writer.waitFor(10, TimeUnit.SECONDS);
            }
            // the server rolls back the dead client's open transaction: one event per committed revision, no more
            long revision = store.read(KEY).orElseThrow().revision();
            assertThat(store.history(KEY)).extracting(RolloutEvent::revision)
                    .containsExactlyElementsOf(LongStream.rangeClosed(2, revision).boxed().toList());
        }
        long last = store.read(KEY).orElseThrow().revision();
        StoreWorker.appendWithRetry(store, KEY, "after the crashes");
        assertThat(store.read(KEY).orElseThrow().revision()).isEqualTo(last + 1);
    }

    /** Starts {@code n} {@link StoreWorker} JVMs, releases them together, and returns each one's output. */
    private List<String> runWorkers(String mode, int n, int count, Path signals) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Path log = signals.resolve("worker-" + i + ".log");
                ProcessBuilder pb = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                        StoreWorker.class.getName(), mode, url, KEY.toString(), String.valueOf(i), String.valueOf(count),
                        signals.toString())
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().putAll(EmbeddedPostgresFixture.env());
                processes.add(pb.start());
                logs.add(log);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            for (int i = 0; i < n; i++) {
                while (!Files.exists(signals.resolve("ready-" + i))) {
                    if (!processes.get(i).isAlive() || System.nanoTime() > deadline) {
                        throw new AssertionError("worker " + i + " did not get ready: " + read(logs.get(i)));
                    }
                    Thread.sleep(20);
                }
            }
            Files.writeString(signals.resolve("go"), "");
            List<String> outputs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                assertThat(processes.get(i).waitFor(60, TimeUnit.SECONDS)).as("worker %d finished", i).isTrue();
                String out = read(logs.get(i));
                assertThat(processes.get(i).exitValue()).as(out).isZero();
                outputs.add(out);
            }
            return outputs;
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
