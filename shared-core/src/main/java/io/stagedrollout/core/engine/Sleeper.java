package io.stagedrollout.core.engine;

import java.time.Duration;

/** How the engine waits; tests substitute one that advances a fake clock. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    Sleeper REAL = d -> Thread.sleep(Math.max(0, d.toMillis()));
}
