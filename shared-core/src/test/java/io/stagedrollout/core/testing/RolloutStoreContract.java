package io.stagedrollout.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.machine.Command;
import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.StateJson;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link RolloutStore} keeps. Subclass it for an implementation: the file store and the
 * PostgreSQL store run the same tests. {@link #processLocation()} enables the test with writers in several JVMs.
 */
public abstract class RolloutStoreContract {
    protected static final RolloutKey KEY = new RolloutKey("checkout", "production");
    protected RolloutStore store;

    /** A new, empty store for one test. */
    protected abstract RolloutStore newStore() throws Exception;

    /** The location string child JVMs open the same store with ({@code StoreWriterMain}), or null to skip. */
    protected String processLocation() {
        return null;
    }

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
    }

    private static RolloutEvent event(RolloutState s, String type) {
        return new RolloutEvent(s.revision(), s.id(), s.updatedAt(), type, TestRollouts.ALICE, null, s.status(),
                s.ringName(), "test " + type, Map.of("n", s.revision()));
    }

    @Test
    public void anEmptyStoreReadsNothing() throws Exception {
        assertThat(store.read(KEY)).isEmpty();
        assertThat(store.history(KEY)).isEmpty();
        assertThat(store.list()).isEmpty();
    }

    @Test
    public void aCommittedStateReadsBackIdentically() throws Exception {
        RolloutState s = TestRollouts.started(TestRollouts.threeRings(), "2.0.0");
        store.commit(KEY, 0, s, List.of(event(s, EventType.STARTED)));
        assertThat(StateJson.write(store.read(KEY).orElseThrow())).isEqualTo(StateJson.write(s));
    }

    @Test
    public void everyFieldOfABakingStateSurvivesTheRoundTrip() throws Exception {
        RolloutState s = TestRollouts.started(TestRollouts.threeRings(), "2.0.0");
        store.commit(KEY, 0, s, List.of());
        var a = TestRollouts.applied(s, new Command.BeginRing(0, TestRollouts.ALICE), TestRollouts.T0);
        store.commit(KEY, 1, a.state(), a.events());
        var b = TestRollouts.applied(a.state(), new Command.RingDeployed(0, true, "ok", 4.5, TestRollouts.ALICE), TestRollouts.T0);
        store.commit(KEY, 2, b.state(), b.events());
        RolloutState back = store.read(KEY).orElseThrow();
        assertThat(back.status()).isEqualTo(Status.BAKING);
        assertThat(back.plan()).isEqualTo(s.plan());
        assertThat(StateJson.write(back)).isEqualTo(StateJson.write(b.state()));
    }

    @Test
    public void aCommitFromAStaleRevisionIsAConflictAndChangesNothing() throws Exception {
        RolloutState s = TestRollouts.started(TestRollouts.threeRings(), "2.0.0");
        store.commit(KEY, 0, s, List.of(event(s, EventType.STARTED)));
        RolloutState other = TestRollouts.started(TestRollouts.threeRings(), "3.0.0");
        assertThatThrownBy(() -> store.commit(KEY, 0, other, List.of(event(other, EventType.STARTED))))
                .isInstanceOf(RolloutStore.ConflictException.class);
        assertThat(store.read(KEY).orElseThrow().version()).isEqualTo("2.0.0");
        assertThat(store.history(KEY)).hasSize(1);
    }

    @Test
    public void historyKeepsEventsInCommitOrderWithTheirActorsAndEvidence() throws Exception {
        RolloutState s = TestRollouts.started(TestRollouts.threeRings(), "2.0.0");
        store.commit(KEY, 0, s, List.of(event(s, "A"), event(s, "B")));
        RolloutState s2 = s.atRevision(2);
        store.commit(KEY, 1, s2, List.of(event(s2, "C")));
        List<RolloutEvent> h = store.history(KEY);
        assertThat(h).extracting(RolloutEvent::type).containsExactly("A", "B", "C");
        assertThat(h).extracting(RolloutEvent::revision).containsExactly(1L, 1L, 2L);
        assertThat(h.get(2).actor()).isEqualTo(TestRollouts.ALICE);
        assertThat(((Number) h.get(2).evidence().get("n")).longValue()).isEqualTo(2L);
    }

    @Test
    public void listReturnsEveryKeyInOrder() throws Exception {
        for (String svc : List.of("payments", "checkout", "search")) {
            RolloutState s = TestRollouts.started(TestRollouts.threeRings(svc, "production"), "1.1.0");
            store.commit(new RolloutKey(svc, "production"), 0, s, List.of());
        }
        assertThat(store.list()).extracting(RolloutState::key)
                .containsExactly("checkout/production", "payments/production", "search/production");
    }

    @Test
    public void keysAreIndependent() throws Exception {
        RolloutState a = TestRollouts.started(TestRollouts.threeRings("checkout", "staging"), "1.0.1");
        store.commit(new RolloutKey("checkout", "staging"), 0, a, List.of(event(a, "A")));
        assertThat(store.read(KEY)).isEmpty();
        assertThat(store.history(KEY)).isEmpty();
    }

    @Test
    public void writersInManyThreadsCommitEachRevisionExactlyOnce() throws Exception {
        RolloutState s = TestRollouts.started(TestRollouts.threeRings(), "2.0.0");
        store.commit(KEY, 0, s, List.of(event(s, "start")));
        int threads = 6;
        int each = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return increment(store, each);
                }));
            }
            go.countDown();
            int conflicts = 0;
            for (Future<Integer> f : results) conflicts += f.get(60, TimeUnit.SECONDS);
            assertThat(conflicts).as("writers raced, so some commits conflicted and retried").isGreaterThanOrEqualTo(0);
        } finally {
            pool.shutdownNow();
        }
        assertConsistent(1 + threads * each);
    }

    /** Commits {@code n} increments with compare-and-set retries; returns how many conflicts were seen. */
    public static int increment(RolloutStore store, int n) throws Exception {
        int conflicts = 0;
        for (int i = 0; i < n; ) {
            RolloutState cur = store.read(KEY).orElseThrow();
            RolloutState next = cur.atRevision(cur.revision() + 1);
            try {
                store.commit(KEY, cur.revision(), next, List.of(event(next, "inc")));
                i++;
            } catch (RolloutStore.ConflictException e) {
                conflicts++;
            }
        }
        return conflicts;
    }

    /** The state's revision is {@code expected} and the journal holds exactly one event per revision, in order. */
    protected void assertConsistent(long expected) throws Exception {
        assertThat(store.read(KEY).orElseThrow().revision()).isEqualTo(expected);
        List<RolloutEvent> h = store.history(KEY);
        assertThat(h).extracting(RolloutEvent::revision)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, expected).boxed().toList());
    }

    @Test
    public void writersInSeveralProcessesCommitEachRevisionExactlyOnce() throws Exception {
        String location = processLocation();
        org.junit.jupiter.api.Assumptions.assumeTrue(location != null, "this store has no location for child processes");
        RolloutState s = TestRollouts.started(TestRollouts.threeRings(), "2.0.0");
        store.commit(KEY, 0, s, List.of(event(s, "start")));
        int processes = 3;
        int each = 20;
        List<Process> children = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            children.add(StoreWriterMain.spawn(location, each));
        }
        for (Process p : children) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        }
        assertConsistent(1 + processes * each);
    }

    @Test
    public void promotingTheSameRingFromManyThreadsAdvancesTheRolloutOnce() throws Exception {
        RolloutEngine engine = new RolloutEngine(store, RolloutEngine.Runtime.system(Path.of(".")),
                Clock.fixed(TestRollouts.T0, ZoneOffset.UTC), EngineListener.NONE);
        engine.start(TestRollouts.threeRings(), "2.0.0", "1.0.0", TestRollouts.ALICE);
        engine.beginRing(KEY, 0, TestRollouts.ALICE, false);
        engine.ringDeployed(KEY, 0, true, "deployed", TestRollouts.ALICE);
        // the canary bakes; people force-promote it from many places at once
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Callable<EngineResult>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(() -> engine.promote(KEY, "canary", true, null, TestRollouts.ALICE));
        }
        List<EngineResult> results = new ArrayList<>();
        for (Future<EngineResult> f : pool.invokeAll(calls)) results.add(f.get());
        pool.shutdown();
        assertThat(results).filteredOn(r -> r.kind() == EngineResult.Kind.APPLIED).hasSize(1);
        assertThat(results).filteredOn(r -> r.kind() == EngineResult.Kind.ALREADY_DONE).hasSize(n - 1);
        assertThat(store.read(KEY).orElseThrow().status()).isEqualTo(Status.PROMOTING);
        assertThat(store.history(KEY)).filteredOn(e -> e.type().equals(EventType.PROMOTED)).hasSize(1);
    }
}
