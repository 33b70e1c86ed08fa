package io.jenkins.plugins.stagedrollout.logic;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the steps' blocking work — the store, plan files, credentials, gate measurements, plan actions — off the
 * Pipeline's CPS thread, one task at a time per rollout key: two stages attached to one ring never measure at once,
 * and a promote never interleaves with a tick of the same rollout on this controller. Different keys run in
 * parallel on {@code pool}.
 */
public final class KeyedWorkers {
    private static final Logger LOGGER = Logger.getLogger(KeyedWorkers.class.getName());

    private final Executor pool;
    private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();

    public KeyedWorkers(Executor pool) {
        this.pool = pool;
    }

    /** Runs {@code task} on the pool after every task submitted earlier for {@code key} ended. */
    public CompletableFuture<Void> submit(String key, Runnable task) {
        synchronized (tails) {
            CompletableFuture<Void> before = tails.getOrDefault(key, CompletableFuture.completedFuture(null));
            CompletableFuture<Void> next = before.handle((ok, failed) -> null).thenRunAsync(() -> {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    // the task reports to its step; this only keeps a bug from wedging the key's queue
                    LOGGER.log(Level.WARNING, "staged-rollout task for " + key + " failed", e);
                }
            }, pool);
            tails.put(key, next);
            next.whenComplete((ok, failed) -> {
                synchronized (tails) {
                    if (tails.get(key) == next) tails.remove(key);
                }
            });
            return next;
        }
    }

    /** Keys with work queued or running (for tests and the status of a stage). */
    public int busyKeys() {
        synchronized (tails) {
            return tails.size();
        }
    }
}
