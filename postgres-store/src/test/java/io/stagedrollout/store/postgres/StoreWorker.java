package io.stagedrollout.store.postgres;

import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.StoreProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A writer in its own JVM, for the several-processes tests: opens the store the way the CLI does (the
 * {@link StoreProvider} found for the location, credentials from the environment), signals it is ready, waits for
 * the go signal, then either promotes a ring through the engine or appends events with compare-and-set retries.
 *
 * <p>Arguments: {@code promote|append LOCATION KEY WORKER_ID COUNT SIGNAL_DIR}. Prints {@code RESULT <kind>} lines.
 */
public final class StoreWorker {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String location = args[1];
        RolloutKey key = RolloutKey.parse(args[2]);
        String id = args[3];
        int count = Integer.parseInt(args[4]);
        Path signals = Path.of(args[5]);
        StoreProvider provider = StoreProvider.find(location).orElseThrow(() -> new IllegalStateException("no provider for " + location));
        try (RolloutStore store = provider.open(location, System.getenv())) {
            Files.writeString(signals.resolve("ready-" + id), "");
            while (!Files.exists(signals.resolve("go"))) Thread.sleep(5);
            if (mode.equals("promote")) {
                RolloutEngine engine = new RolloutEngine(store, RolloutEngine.Runtime.system(Path.of(".")), Clock.systemUTC(), EngineListener.NONE);
                EngineResult r = engine.promote(key, "canary", false, "worker " + id, new Actor("worker-" + id, "test", null));
                System.out.println("RESULT " + r.kind());
            } else {
                for (int i = 0; i < count; i++) {
                    appendWithRetry(store, key, "worker " + id + " event " + i);
                }
                System.out.println("RESULT APPENDED " + count);
            }
        }
    }

    /** Read, then commit one event at the next revision; on conflict read again. */
    static void appendWithRetry(RolloutStore store, RolloutKey key, String reason) throws Exception {
        while (true) {
            RolloutState s = store.read(key).orElseThrow();
            try {
                store.commit(key, s.revision(), s.atRevision(s.revision() + 1), List.of(Rollouts.event("NOTE", reason)));
                return;
            } catch (RolloutStore.ConflictException lost) {
                // someone else committed first: read again
            }
        }
    }
}
