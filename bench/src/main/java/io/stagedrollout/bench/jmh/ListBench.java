package io.stagedrollout.bench.jmh;

import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.StateJson;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code list} over many stored rollouts (what {@code rollout list} does in-process) against reading the same
 * number of small files of the same layout and size without parsing them.
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
        RolloutState template = Fixtures.started("template");
        String json = StateJson.write(template);
        for (int i = 0; i < rollouts; i++) {
            String service = "svc-" + i;
            // the layout the store writes (service/environment/state.json); written directly, fsync is not measured here
            Path d = Files.createDirectories(dir.resolve(service).resolve("production"));
            Files.writeString(d.resolve("state.json"), json.replace("template", service));
        }
        if (store.list().size() != rollouts) throw new IllegalStateException("the store does not see the fixtures");
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
