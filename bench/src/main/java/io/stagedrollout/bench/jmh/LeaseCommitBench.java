package io.stagedrollout.bench.jmh;

import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.Lease;
import io.stagedrollout.core.store.LeaseHolder;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutLeases;
import io.stagedrollout.core.store.StateJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a driver's lease costs a commit: a fenced commit (the store reads the key's lease under the commit's lock
 * and checks the token) against an unfenced one and against the bare durable write of the same bytes (journal
 * append + fsync, state to a temporary file + fsync, rename, directory fsync). Also the lease renewal a driver makes
 * every third of the lease's time to live (a small file written the same durable way).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 3)
@Fork(1)
@State(Scope.Thread)
public class LeaseCommitBench {
    Path dir;
    FileRolloutStore store;
    RolloutKey key;
    RolloutState state;
    long revision;
    Lease lease;
    Path bareDir;

    @Setup(Level.Iteration)
    public void setUp() throws Exception {
        dir = Fixtures.tempDir("bench-lease");
        store = new FileRolloutStore(dir);
        state = Fixtures.started("checkout");
        key = new RolloutKey(state.service(), state.environment());
        store.commit(key, 0, state, List.of(Fixtures.event(state, 1)));
        revision = 1;
        lease = store.leases().acquire(key, new RolloutLeases.Claim(new LeaseHolder("bench", "host", "machine", 1,
                null, "bench"), state.id(), Duration.ofMinutes(10), 0, false), Fixtures.T0);
        bareDir = Files.createDirectories(dir.resolve("bare"));
    }

    @TearDown(Level.Iteration)
    public void tearDown() {
        Fixtures.delete(dir);
    }

    @Benchmark
    public long fencedCommit() throws Exception {
        RolloutState next = state.atRevision(revision + 1);
        store.commit(key, revision, next, List.of(Fixtures.event(next, revision + 1)), lease.fence());
        return ++revision;
    }

    @Benchmark
    public long unfencedCommit() throws Exception {
        RolloutState next = state.atRevision(revision + 1);
        store.commit(key, revision, next, List.of(Fixtures.event(next, revision + 1)));
        return ++revision;
    }

    @Benchmark
    public long bareWriteFsyncRename() throws Exception {
        byte[] stateBytes = Fixtures.utf8(StateJson.write(state.atRevision(++revision)));
        byte[] eventBytes = Fixtures.utf8(StateJson.write(Fixtures.event(state, revision)) + "\n");
        Fixtures.bareCommit(bareDir, stateBytes, eventBytes);
        return revision;
    }

    @Benchmark
    public Lease renewLease() throws Exception {
        lease = store.leases().renew(lease, Duration.ofMinutes(10), Fixtures.T0.plusSeconds(++revision));
        return lease;
    }
}
