package io.jenkins.plugins.stagedrollout.logic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real threads; every wait is on a condition with a generous deadline. */
class KeyedWorkersTest {
    ExecutorService pool = Executors.newCachedThreadPool();
    KeyedWorkers workers = new KeyedWorkers(pool);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void workForOneKeyRunsOneAtATimeInOrder() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();

        workers.submit("checkout/production", () -> {
            firstRunning.countDown();
            await(releaseFirst);
            ran.add("first");
        });
        var second = workers.submit("checkout/production", () -> ran.add("second"));
        assertThat(firstRunning.await(60, TimeUnit.SECONDS)).isTrue();

        assertThat(ran).isEmpty(); // the second waits for the first, though the pool has threads to spare
        releaseFirst.countDown();
        second.get(60, TimeUnit.SECONDS);
        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    void anotherKeyIsNotHeldUpByASlowOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        workers.submit("checkout/production", () -> await(release));

        var other = workers.submit("payments/production", () -> { });

        other.get(60, TimeUnit.SECONDS); // finished while checkout/production still runs
        assertThat(workers.busyKeys()).isEqualTo(1);
        release.countDown();
    }

    @Test
    void aFailingTaskDoesNotWedgeItsKey() throws Exception {
        workers.submit("checkout/production", () -> {
            throw new IllegalStateException("a bug");
        });

        var next = workers.submit("checkout/production", () -> { });

        next.get(60, TimeUnit.SECONDS);
    }

    static void await(CountDownLatch l) {
        try {
            l.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
