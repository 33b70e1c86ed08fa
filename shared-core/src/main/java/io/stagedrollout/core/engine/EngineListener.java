package io.stagedrollout.core.engine;

import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import java.time.Instant;

/** Where the engine tells what happens: committed events, action output, and progress while it waits. */
public interface EngineListener {
    default void event(RolloutEvent event) {}

    default void output(String line) {}

    /** Called about once a second while the engine bakes or waits. */
    default void progress(RolloutState state, Instant now) {}

    EngineListener NONE = new EngineListener() {};
}
