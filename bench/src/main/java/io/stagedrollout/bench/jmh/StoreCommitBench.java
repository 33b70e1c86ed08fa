package io.stagedrollout.bench.jmh;

import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.StateJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One commit of a state and one event to the file store, against the bare durable write of the same bytes
 * (journal append + fsync, state to a temporary file + fsync, rename, directory fsync). {@code journalEvents} is how
 * many events the journal already holds: a commit re-reads the journal to drop uncommitted lines.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 3)
@Fork(1)
@State(Scope.Thread)
public class StoreCommitBench {
    @Param({"10", "1000"})
    int journalEvents;

    Path dir;
    FileRolloutStore store;
    RolloutKey key;
    RolloutState state;
    long revision;
    Path bareDir;
    byte[] stateBytes;
    byte[] eventBytes;

    @Setup(Level.Iteration)
    public void setUp() throws Exception {
        dir = Fixtures.tempDir("bench-commit");
        store = new FileRolloutStore(dir);
        state = Fixtures.started("checkout");
        key = new RolloutKey(state.service(), state.environment());
        store.commit(key, 0, state, List.of(Fixtures.event(state, 1)));
        revision = 1;
        for (int i = 0; i < journalEvents - 1; i++) commitStateAndEvent();
        bareDir = Files.createDirectories(dir.resolve("bare"));
        stateBytes = Fixtures.utf8(StateJson.write(state.atRevision(revision)));
        eventBytes = Fixtures.utf8(StateJson.write(Fixtures.event(state, revision)) + "\n");
        for (int i = 0; i < journalEvents; i++) Fixtures.bareCommit(bareDir, stateBytes, eventBytes);
    }

    @TearDown(Level.Iteration)
    public void tearDown() {
        Fixtures.delete(dir);
    }

    @Benchmark
    public long commitStateAndEvent() throws Exception {
        RolloutState next = state.atRevision(revision + 1);
        store.commit(key, revision, next, List.of(Fixtures.event(next, revision + 1)));
        return ++revision;
    }

    @Benchmark
    public long bareWriteFsyncRename() throws Exception {
        // serialise too, so both sides pay for the same bytes being produced
        stateBytes = Fixtures.utf8(StateJson.write(state.atRevision(++revision)));
        eventBytes = Fixtures.utf8(StateJson.write(Fixtures.event(state, revision)) + "\n");
        Fixtures.bareCommit(bareDir, stateBytes, eventBytes);
        return revision;
    }
}
