package io.stagedrollout.bench.jmh;

import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import java.nio.file.DirectoryStream;
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
 * {@code list} over many stored rollouts in-process: the store's {@code list()} (every state parsed whole, plans
 * included) and {@code summaries()} (what {@code rollout list} prints: a streaming read of each state file without
 * its plan, and a size check of its journal), against reading the same number of state files of the same layout
 * and size without parsing them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class ListBench {
    @Param({"10000"})
    int rollouts;

    Path dir;
    FileRolloutStore store;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Fixtures.tempDir("bench-list");
        store = new FileRolloutStore(dir);
        // one key committed by the store itself, copied under names of the same length ("template", "s0000001"):
        // every state file and journal as the store writes them, without 10,000 fsynced commits
        RolloutState template = Fixtures.started("template");
        store.commit(new RolloutKey("template", "production"), 0, template, List.of(Fixtures.event(template, 1)));
        Path seed = dir.resolve("template/production");
        String state = Files.readString(seed.resolve("state.json"));
        byte[] journal = Files.readAllBytes(seed.resolve("journal.jsonl"));
        Fixtures.delete(dir.resolve("template"));
        for (int i = 0; i < rollouts; i++) {
            String service = String.format("s%07d", i);
            Path d = Files.createDirectories(dir.resolve(service).resolve("production"));
            Files.writeString(d.resolve("state.json"), state.replace("\"template\"", "\"" + service + "\""));
            Files.write(d.resolve("journal.jsonl"), journal);
        }
        if (store.list().size() != rollouts || store.summaries().size() != rollouts) {
            throw new IllegalStateException("the store does not see the fixtures");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Fixtures.delete(dir);
    }

    @Benchmark
    public int storeList() throws Exception {
        return store.list().size();
    }

    @Benchmark
    public int storeSummaries() throws Exception {
        return store.summaries().size();
    }

    @Benchmark
    public long readSmallFiles() throws Exception {
        long bytes = 0;
        try (DirectoryStream<Path> services = Files.newDirectoryStream(dir)) {
            for (Path s : services) {
                try (DirectoryStream<Path> envs = Files.newDirectoryStream(s)) {
                    for (Path e : envs) bytes += Files.readAllBytes(e.resolve("state.json")).length;
                }
            }
        }
        return bytes;
    }
}
