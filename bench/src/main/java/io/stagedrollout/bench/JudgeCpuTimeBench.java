package io.stagedrollout.bench;

import io.stagedrollout.core.judge.Alternative;
import io.stagedrollout.core.judge.HodgesLehmann;
import io.stagedrollout.core.judge.MannWhitney;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

/**
 * The judge's statistics on 2 x 100,000 values timed by the CPU time of the measuring thread (median of many calls
 * after a warm-up), next to the same baselines as the JMH benchmarks. On a machine shared with other builds the
 * wall-clock figures of JMH carry the waits for a CPU; the thread's CPU time does not, so it answers "how long
 * does it take" while the ratios stay the result. Usage: {@code java -cp detection-bench.jar
 * io.stagedrollout.bench.JudgeCpuTimeBench [calls]}.
 */
public final class JudgeCpuTimeBench {
    private JudgeCpuTimeBench() {}

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int n = 100_000;
        SplittableRandom r = new SplittableRandom(20261127);
        double[] canary = new double[n];
        double[] baseline = new double[n];
        for (int i = 0; i < n; i++) {
            baseline[i] = Math.round(-Math.log(1 - r.nextDouble()) * 1000) / 10.0;
            canary[i] = Math.round(-Math.log(1 - r.nextDouble()) * 1020) / 10.0;
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double sort = median(threads, calls, () -> {
            double[] c = canary.clone();
            double[] b = baseline.clone();
            Arrays.sort(c);
            Arrays.sort(b);
            return c[0] + b[0];
        });
        double hl = median(threads, calls, () -> HodgesLehmann.estimate(canary, baseline, 0.98, MannWhitney.Method.NORMAL).lower());
        double mw = median(threads, calls, () -> MannWhitney.test(canary, baseline, Alternative.TWO_SIDED).pValue());
        double commons = median(threads, calls, () -> new MannWhitneyUTest().mannWhitneyUTest(canary, baseline));
        System.out.printf(Locale.ROOT, "median thread CPU time per call over %d calls, 2 x %,d values:%n", calls, n);
        System.out.printf(Locale.ROOT, "| sort both samples (baseline) | %.1f ms | 1.00 |%n", sort);
        System.out.printf(Locale.ROOT, "| Hodges-Lehmann shift + 98%% interval | %.1f ms | %.2f |%n", hl, hl / sort);
        System.out.printf(Locale.ROOT, "| Commons Math mannWhitneyUTest (baseline) | %.1f ms | 1.00 |%n", commons);
        System.out.printf(Locale.ROOT, "| judge MannWhitney.test | %.1f ms | %.2f |%n", mw, mw / commons);
    }

    private static double median(ThreadMXBean threads, int calls, DoubleSupplier work) {
        double sink = 0;
        for (int i = 0; i < Math.max(5, calls / 3); i++) sink += work.getAsDouble(); // warm-up: let the JIT compile
        double[] ms = new double[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = threads.getCurrentThreadCpuTime();
            sink += work.getAsDouble();
            ms[i] = (threads.getCurrentThreadCpuTime() - t0) / 1e6;
        }
        if (Double.isNaN(sink)) System.out.print("");
        Arrays.sort(ms);
        return ms[calls / 2];
    }
}
