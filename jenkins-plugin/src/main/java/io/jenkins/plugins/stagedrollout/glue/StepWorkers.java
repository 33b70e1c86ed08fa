package io.jenkins.plugins.stagedrollout.glue;

import hudson.Extension;
import hudson.ExtensionList;
import io.jenkins.plugins.stagedrollout.logic.KeyedWorkers;
import io.jenkins.plugins.stagedrollout.logic.LiveDeploys;
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
