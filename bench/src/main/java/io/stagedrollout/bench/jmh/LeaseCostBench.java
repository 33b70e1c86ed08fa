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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What a driver's lease costs a commit, measured interleaved so that a machine whose load changes from second to
 * second (a shared CI runner) affects every variant alike: each round runs one bare durable write (journal append +
 * fsync, state to a temporary file + fsync, rename, directory fsync), one unfenced file-store commit, one fenced
 * commit and the same bare write of bytes serialized before the round (so that it holds no serialization at all), in
 * a random order, and the medians are compared, as is the median of each round's own ratio.
 *
 * <pre>java -cp detection-bench.jar io.stagedrollout.bench.jmh.LeaseCostBench [rounds=400] [warmup=50]</pre>
 */
public final class LeaseCostBench {
    private LeaseCostBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Path dir = Fixtures.tempDir("bench-lease-cost");
        try {
            FileRolloutStore store = new FileRolloutStore(dir);
            RolloutState state = Fixtures.started("checkout");
            RolloutKey key = new RolloutKey(state.service(), state.environment());
            store.commit(key, 0, state, List.of(Fixtures.event(state, 1)));
            Lease lease = store.leases().acquire(key, new RolloutLeases.Claim(new LeaseHolder("bench", "host", "machine", 1,
                    null, "bench"), state.id(), Duration.ofHours(1), 0, false), Fixtures.T0);
            Path bare = Files.createDirectories(dir.resolve("bare"));
            Path bareReady = Files.createDirectories(dir.resolve("bare-ready"));
            long[] revision = {1};
            byte[][] ready = new byte[2][]; // the bytes of the fourth variant, made before the round's timings
            Runnable[] ops = {
                () -> run(() -> {
                    byte[] s = Fixtures.utf8(StateJson.write(state.atRevision(revision[0] + 1)));
                    byte[] e = Fixtures.utf8(StateJson.write(Fixtures.event(state, revision[0] + 1)) + "\n");
                    Fixtures.bareCommit(bare, s, e);
                }),
                () -> run(() -> {
                    RolloutState next = state.atRevision(revision[0] + 1);
                    store.commit(key, revision[0], next, List.of(Fixtures.event(next, revision[0] + 1)));
                    revision[0]++;
                }),
                () -> run(() -> {
                    RolloutState next = state.atRevision(revision[0] + 1);
                    store.commit(key, revision[0], next, List.of(Fixtures.event(next, revision[0] + 1)), lease.fence());
                    revision[0]++;
                }),
                () -> run(() -> Fixtures.bareCommit(bareReady, ready[0], ready[1])),
            };
            String[] names = {"bare write-fsync-rename", "unfenced commit", "fenced commit", "bare, bytes made before"};
            long[][] nanos = new long[4][rounds];
            Random random = new Random(1);
            List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3));
            for (int r = -warmup; r < rounds; r++) {
                ready[0] = Fixtures.utf8(StateJson.write(state.atRevision(revision[0] + 1)));
                ready[1] = Fixtures.utf8(StateJson.write(Fixtures.event(state, revision[0] + 1)) + "\n");
                Collections.shuffle(order, random);
                for (int i : order) {
                    long t0 = System.nanoTime();
                    ops[i].run();
                    long t = System.nanoTime() - t0;
                    if (r >= 0) nanos[i][r] = t;
                }
            }
            double[] perRoundFenced = new double[rounds];
            double[] perRoundUnfenced = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                perRoundFenced[r] = (double) nanos[2][r] / nanos[0][r];
                perRoundUnfenced[r] = (double) nanos[1][r] / nanos[0][r];
            }
            System.out.printf(Locale.ROOT, "%d rounds (after %d warm-up rounds), each variant once per round in random order%n", rounds, warmup);
            for (int i = 0; i < 4; i++) {
                long[] s = nanos[i].clone();
                Arrays.sort(s);
                System.out.printf(Locale.ROOT, "%-24s median %7.3f ms   p10 %7.3f ms   p90 %7.3f ms%n", names[i],
                        s[rounds / 2] / 1e6, s[rounds / 10] / 1e6, s[rounds * 9 / 10] / 1e6);
            }
            System.out.printf(Locale.ROOT, "ratio of medians: fenced/bare %.2f, unfenced/bare %.2f, fenced/unfenced %.2f%n",
                    median(nanos[2]) / median(nanos[0]), median(nanos[1]) / median(nanos[0]), median(nanos[2]) / median(nanos[1]));
            System.out.printf(Locale.ROOT, "median of per-round ratios: fenced/bare %.2f, unfenced/bare %.2f%n",
                    median(perRoundFenced), median(perRoundUnfenced));
            double[] fencedReady = new double[rounds];
            double[] unfencedReady = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                fencedReady[r] = (double) nanos[2][r] / nanos[3][r];
                unfencedReady[r] = (double) nanos[1][r] / nanos[3][r];
            }
            System.out.printf(Locale.ROOT, "against the bare write of bytes made before the round: fenced %.2f by medians, %.2f per round;"
                    + " unfenced %.2f, %.2f%n", median(nanos[2]) / median(nanos[3]), median(fencedReady),
                    median(nanos[1]) / median(nanos[3]), median(unfencedReady));
        } finally {
            Fixtures.delete(dir);
        }
    }

    private interface Op {
        void run() throws Exception;
    }

    private static void run(Op op) {
        try {
            op.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double median(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
