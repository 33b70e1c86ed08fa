package io.stagedrollout.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.InFlightEffect;
import io.stagedrollout.core.store.Lease;
import io.stagedrollout.core.store.LeaseHolder;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutLeases;
import io.stagedrollout.core.store.RolloutLeases.Claim;
import io.stagedrollout.core.store.RolloutLeases.LeaseHeldException;
import io.stagedrollout.core.store.RolloutLeases.LeaseLostException;
import io.stagedrollout.core.store.RolloutStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of a store's driver leases (one driver per key, fencing tokens), run by every store: subclass it with
 * {@link #newStore()}. Times are explicit instants: no test here reads a clock.
 */
public abstract class RolloutLeasesContract {
    protected static final RolloutKey KEY = new RolloutKey("checkout", "production");
    protected static final Duration TTL = Duration.ofSeconds(30);
    protected static final Instant T = TestRollouts.T0;
    protected RolloutStore store;
    protected RolloutLeases leases;

    /** A new, empty store for one test. */
    protected abstract RolloutStore newStore() throws Exception;

    /** The same store opened again (another process would); by default a new instance on the same data. */
    protected abstract RolloutStore reopen() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
        leases = store.leases();
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    protected static LeaseHolder holder(String name) {
        return new LeaseHolder("test driver " + name, "host-a", "machine-a", 100, "2026-11-26T09:00:00Z", name);
    }

    static Claim claim(String name, long expectedToken) {
        return new Claim(holder(name), "r-1", TTL, expectedToken, false);
    }

    RolloutState started() throws Exception {
        RolloutState s = TestRollouts.started(TestRollouts.threeRings(), "2.0.0");
        store.commit(KEY, 0, s, List.of(event(s)));
        return s;
    }

    static RolloutEvent event(RolloutState s) {
        return new RolloutEvent(s.revision(), s.id(), s.updatedAt(), "TEST", TestRollouts.ALICE, null, s.status(), null,
                "test", Map.of());
    }

    @Test
    public void aKeyNoDriverEverLeasedHasNoLease() throws Exception {
        assertThat(leases.read(KEY)).isEmpty();
    }

    @Test
    public void theFirstDriverGetsTokenOneUntilItsTimeToLiveRunsOut() throws Exception {
        Lease l = leases.acquire(KEY, claim("a", 0), T);
        assertThat(l.token()).isEqualTo(1);
        assertThat(l.expiresAt()).isEqualTo(T.plus(TTL));
        assertThat(l.holder()).isEqualTo(holder("a"));
        assertThat(l.rolloutId()).isEqualTo("r-1");
        assertThat(leases.read(KEY)).contains(l);
    }

    @Test
    public void aSecondDriverIsRefusedWhileTheLeaseIsHeldAndToldWhoHoldsIt() throws Exception {
        leases.acquire(KEY, claim("a", 0), T);
        assertThatThrownBy(() -> leases.acquire(KEY, claim("b", 1), T.plusSeconds(29)))
                .isInstanceOf(LeaseHeldException.class)
                .satisfies(e -> assertThat(((LeaseHeldException) e).current().holder()).isEqualTo(holder("a")));
        assertThat(leases.read(KEY).orElseThrow().holder()).isEqualTo(holder("a"));
    }

    @Test
    public void aLapsedLeaseIsTakenOverWithTheNextToken() throws Exception {
        leases.acquire(KEY, claim("a", 0), T);
        Lease b = leases.acquire(KEY, claim("b", 1), T.plus(TTL));
        assertThat(b.token()).isEqualTo(2);
        assertThat(b.holder()).isEqualTo(holder("b"));
    }

    @Test
    public void aHeldLeaseIsTakenOverOnlyByACallerWhoSaysItsHolderIsDeadAndSawTheSameToken() throws Exception {
        leases.acquire(KEY, claim("a", 0), T);
        Claim stale = new Claim(holder("b"), "r-1", TTL, 0, true);
        assertThatThrownBy(() -> leases.acquire(KEY, stale, T)).isInstanceOf(LeaseHeldException.class);
        Lease b = leases.acquire(KEY, new Claim(holder("b"), "r-1", TTL, 1, true), T);
        assertThat(b.token()).isEqualTo(2);
    }

    @Test
    public void aCallerThatSawAnOlderLeaseIsRefusedEvenWhenTheLeaseIsFree() throws Exception {
        Lease a = leases.acquire(KEY, claim("a", 0), T);
        leases.release(a, T);
        assertThatThrownBy(() -> leases.acquire(KEY, claim("b", 0), T)).isInstanceOf(LeaseHeldException.class);
    }

    @Test
    public void renewingExtendsTheLeaseUntilAnotherDriverTakesItOver() throws Exception {
        Lease a = leases.acquire(KEY, claim("a", 0), T);
        Lease renewed = leases.renew(a, TTL, T.plusSeconds(20));
        assertThat(renewed.expiresAt()).isEqualTo(T.plusSeconds(20).plus(TTL));
        assertThatThrownBy(() -> leases.acquire(KEY, claim("b", 1), T.plus(TTL))).isInstanceOf(LeaseHeldException.class);
        leases.acquire(KEY, claim("b", 1), T.plusSeconds(20).plus(TTL));
        assertThatThrownBy(() -> leases.renew(renewed, TTL, T.plusSeconds(60))).isInstanceOf(LeaseLostException.class);
    }

    @Test
    public void aLapsedLeaseNobodyTookCanStillBeRenewedByItsHolder() throws Exception {
        Lease a = leases.acquire(KEY, claim("a", 0), T);
        assertThat(leases.renew(a, TTL, T.plusSeconds(45)).token()).isEqualTo(1);
    }

    @Test
    public void tokensOnlyGrowAcrossReleasesAndTakeovers() throws Exception {
        long last = 0;
        Instant now = T;
        for (int i = 0; i < 5; i++) {
            Lease l = leases.acquire(KEY, claim("d" + i, last), now);
            assertThat(l.token()).isGreaterThan(last);
            last = l.token();
            if (i % 2 == 0) leases.release(l, now);
            else now = now.plus(TTL);
        }
        assertThat(last).isEqualTo(5);
    }

    @Test
    public void aReleasedLeaseIsFreeAtOnceAndReleasingALostLeaseDoesNothing() throws Exception {
        Lease a = leases.acquire(KEY, claim("a", 0), T);
        leases.release(a, T.plusSeconds(1));
        assertThat(leases.read(KEY).orElseThrow().freeAt(T.plusSeconds(1))).isTrue();
        Lease b = leases.acquire(KEY, claim("b", 1), T.plusSeconds(1));
        leases.release(a, T.plusSeconds(2));
        assertThat(leases.read(KEY).orElseThrow()).isEqualTo(b);
    }

    @Test
    public void aFencedCommitUnderTheCurrentTokenIsWritten() throws Exception {
        RolloutState s = started();
        Lease a = leases.acquire(KEY, claim("a", 0), T);
        RolloutState next = s.atRevision(2);
        store.commit(KEY, 1, next, List.of(event(next)), a.fence());
        assertThat(store.read(KEY).orElseThrow().revision()).isEqualTo(2);
    }

    @Test
    public void aFencedCommitOfADriverThatLostItsLeaseWritesNothing() throws Exception {
        RolloutState s = started();
        Lease a = leases.acquire(KEY, claim("a", 0), T);
        leases.acquire(KEY, claim("b", 1), T.plus(TTL));
        RolloutState next = s.atRevision(2);
        assertThatThrownBy(() -> store.commit(KEY, 1, next, List.of(event(next)), a.fence()))
                .isInstanceOf(LeaseLostException.class);
        assertThat(store.read(KEY).orElseThrow().revision()).isEqualTo(1);
        assertThat(store.history(KEY)).hasSize(1);
    }

    @Test
    public void aFencedCommitAfterTheHolderReleasedItsLeaseWritesNothing() throws Exception {
        RolloutState s = started();
        Lease a = leases.acquire(KEY, claim("a", 0), T);
        leases.release(a, T);
        RolloutState next = s.atRevision(2);
        assertThatThrownBy(() -> store.commit(KEY, 1, next, List.of(event(next)), a.fence()))
                .isInstanceOf(LeaseLostException.class);
        assertThat(store.read(KEY).orElseThrow().revision()).isEqualTo(1);
    }

    @Test
    public void peoplesUnfencedCommitsAreNeverBlockedByADriversLease() throws Exception {
        RolloutState s = started();
        leases.acquire(KEY, claim("a", 0), T);
        RolloutState next = s.atRevision(2);
        store.commit(KEY, 1, next, List.of(event(next)));
        assertThat(store.read(KEY).orElseThrow().revision()).isEqualTo(2);
    }

    @Test
    public void effectsAHolderLeftRunningAreInheritedByTheNextHolderAndSurviveARelease() throws Exception {
        Lease a = leases.acquire(KEY, claim("a", 0), T);
        InFlightEffect deploy = new InFlightEffect("deploy", "canary", "tag-1", "machine-a", "host-a", 4711,
                T.plusSeconds(600));
        a = leases.recordEffects(a, List.of(deploy), T);
        assertThat(leases.read(KEY).orElseThrow().effects()).containsExactly(deploy);
        Lease b = leases.acquire(KEY, claim("b", 1), T.plus(TTL));
        assertThat(b.effects()).containsExactly(deploy);
        Lease finished = leases.recordEffects(b, List.of(), T.plus(TTL));
        assertThat(finished.effects()).isEmpty();
        Lease c = leases.acquire(KEY, claim("c", 2), T.plus(TTL).plus(TTL));
        leases.recordEffects(c, List.of(deploy), T.plus(TTL).plus(TTL));
        leases.release(c, T.plus(TTL).plus(TTL));
        assertThat(leases.read(KEY).orElseThrow().effects()).as("a release keeps what may still run").containsExactly(deploy);
    }

    @Test
    public void recordingEffectsUnderALostLeaseFails() throws Exception {
        Lease a = leases.acquire(KEY, claim("a", 0), T);
        leases.acquire(KEY, claim("b", 1), T.plus(TTL));
        assertThatThrownBy(() -> leases.recordEffects(a, List.of(), T.plus(TTL))).isInstanceOf(LeaseLostException.class);
    }

    @Test
    public void keysHaveIndependentLeases() throws Exception {
        leases.acquire(KEY, claim("a", 0), T);
        Lease other = leases.acquire(new RolloutKey("checkout", "staging"), claim("b", 0), T);
        assertThat(other.token()).isEqualTo(1);
    }

    @Test
    public void aLeaseIsDurable() throws Exception {
        Lease a = leases.acquire(KEY, claim("a", 0), T);
        try (RolloutStore again = reopen()) {
            assertThat(again.leases().read(KEY)).contains(a);
        }
    }

    @Test
    public void driversRacingInManyThreadsHoldTheLeaseOneAtATimeAndEveryFencedCommitLands() throws Exception {
        started();
        int threads = 6;
        int rounds = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Set<Long> tokens = ConcurrentHashMap.newKeySet();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String name = "t" + t;
                results.add(pool.submit(() -> {
                    go.await();
                    int committed = 0;
                    while (committed < rounds) {
                        long seen = leases.read(KEY).map(Lease::token).orElse(0L);
                        Lease mine;
                        try {
                            // released leases are free; every holder here releases, so no time needs to pass
                            mine = leases.acquire(KEY, claim(name, seen), T);
                        } catch (LeaseHeldException busy) {
                            Thread.onSpinWait();
                            continue;
                        }
                        assertThat(tokens.add(mine.token())).as("token %d handed out twice", mine.token()).isTrue();
                        RolloutState cur = store.read(KEY).orElseThrow();
                        RolloutState next = cur.atRevision(cur.revision() + 1);
                        store.commit(KEY, cur.revision(), next, List.of(event(next)), mine.fence());
                        committed++;
                        leases.release(mine, T);
                    }
                    return committed;
                }));
            }
            go.countDown();
            for (Future<Integer> f : results) assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(rounds);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.read(KEY).orElseThrow().revision()).isEqualTo(1 + threads * rounds);
        assertThat(store.history(KEY)).hasSize(1 + threads * rounds);
        assertThat(tokens).hasSize(threads * rounds);
    }
}
