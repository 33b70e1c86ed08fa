package io.jenkins.plugins.stagedrollout.glue;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.init.Terminator;
import io.jenkins.plugins.stagedrollout.logic.KeyedWorkers;
import io.jenkins.plugins.stagedrollout.logic.LiveDeploys;
import io.jenkins.plugins.stagedrollout.logic.RolloutService;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads the steps' blocking work runs on, and the ring deploys running now: one set per Jenkins instance (a
 * restart starts with none, as a new process does). Long work (store, gates, actions) waits on I/O, not on CPU: a
 * pool that grows as needed, one task per rollout key at a time. Never Jenkins' shared timer threads.
 */
@Extension
public final class StepWorkers {
    private final ExecutorService pool = Executors.newCachedThreadPool(new java.util.concurrent.ThreadFactory() {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "staged-rollout-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });
    private final KeyedWorkers workers = new KeyedWorkers(pool);
    private final LiveDeploys deploys = new LiveDeploys();

    /**
     * The controller shuts down: the plugin's drivers stop and give their keys' leases back (a restarted controller,
     * or the CLI, then drives on at once); the steps resume after the restart and do their interrupted work again.
     */
    @Terminator(displayName = "Stopping the Staged Rollout drivers")
    public static void stopDrivers() throws InterruptedException {
        RolloutService.stopDrivers("Jenkins is shutting down", Duration.ofSeconds(15));
    }

    static StepWorkers get() {
        return ExtensionList.lookupSingleton(StepWorkers.class);
    }

    KeyedWorkers workers() {
        return workers;
    }

    LiveDeploys deploys() {
        return deploys;
    }
}
