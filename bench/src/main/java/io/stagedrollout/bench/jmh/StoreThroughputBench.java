package io.stagedrollout.bench.jmh;

import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.StateJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Commits per second with several writers at once (run with {@code -t 1} and {@code -t 4}): each writer on its own
 * rollout key ({@code ownKey}), all writers on one key with compare-and-set retries ({@code sharedKey}), and the
 * bare write-fsync-rename of the same bytes by as many threads, each in its own directory.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 3)
@Fork(1)
@Threads(4)
public class StoreThroughputBench {
    @State(Scope.Benchmark)
    public static class Shared {
        Path dir;
        FileRolloutStore store;
        RolloutState base;
        RolloutKey sharedKey;
        final AtomicInteger writers = new AtomicInteger();

        @Setup(Level.Iteration)
        public void setUp() throws Exception {
            dir = Fixtures.tempDir("bench-throughput");
            store = new FileRolloutStore(dir);
            base = Fixtures.started("shared");
            sharedKey = new RolloutKey("shared", "production");
            store.commit(sharedKey, 0, base, List.of(Fixtures.event(base, 1)));
        }

        @TearDown(Level.Iteration)
        public void tearDown() {
            Fixtures.delete(dir);
        }
    }

    @State(Scope.Thread)
    public static class Writer {
        RolloutKey ownKey;
        RolloutState own;
        long revision;
        Path bareDir;
        RolloutState bare;
        long bareRevision;

        @Setup(Level.Iteration)
        public void setUp(Shared shared) throws Exception {
            String service = "svc-" + shared.writers.incrementAndGet();
            own = Fixtures.started(service);
            ownKey = new RolloutKey(service, "production");
            shared.store.commit(ownKey, 0, own, List.of(Fixtures.event(own, 1)));
            revision = 1;
            bareDir = Files.createDirectories(shared.dir.resolve("bare-" + service));
            bare = own;
            bareRevision = 1;
        }
    }

    @Benchmark
    public long ownKey(Shared shared, Writer w) throws Exception {
        RolloutState next = w.own.atRevision(w.revision + 1);
        shared.store.commit(w.ownKey, w.revision, next, List.of(Fixtures.event(next, w.revision + 1)));
        return ++w.revision;
    }

    @Benchmark
    public long sharedKey(Shared shared) throws Exception {
        while (true) {
            long current = shared.store.read(shared.sharedKey).orElseThrow().revision();
            RolloutState next = shared.base.atRevision(current + 1);
            try {
                shared.store.commit(shared.sharedKey, current, next, List.of(Fixtures.event(next, current + 1)));
                return current + 1;
            } catch (RolloutStore.ConflictException lost) {
                // another writer committed first: read again and retry, as the engine does
            }
        }
    }

    @Benchmark
    public long bareWriteFsyncRename(Writer w) throws Exception {
        long r = ++w.bareRevision;
        Fixtures.bareCommit(w.bareDir, Fixtures.utf8(StateJson.write(w.bare.atRevision(r))),
                Fixtures.utf8(StateJson.write(Fixtures.event(w.bare, r)) + "\n"));
        return r;
    }
}
