package io.stagedrollout.bench.jmh;

import io.stagedrollout.core.judge.Alternative;
import io.stagedrollout.core.judge.MannWhitney;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The judge's Mann-Whitney U test on two samples of 100,000 against Apache Commons Math's {@code MannWhitneyUTest}
 * (normal approximation, two-sided: the only form Commons Math offers). Latency-like samples with ties.
 * {@code judgeCommonsConventions} computes what Commons Math computes (no continuity or tie correction); the set-up
 * checks that its p-value equals Commons Math's to 1e-9. {@code judgeMannWhitney} is the judge's default (continuity
 * and tie corrections, as R's wilcox.test).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class MannWhitneyBench {
    @Param({"100000"})
    int n;

    double[] canary;
    double[] baseline;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(20261126);
        canary = new double[n];
        baseline = new double[n];
        for (int i = 0; i < n; i++) {
            // milliseconds rounded to 0.1 ms, so there are ties as in real latency data; the canary is 2% slower
            baseline[i] = Math.round(-Math.log(1 - r.nextDouble()) * 1000) / 10.0;
            canary[i] = Math.round(-Math.log(1 - r.nextDouble()) * 1020) / 10.0;
        }
        double ours = MannWhitney.test(canary, baseline, Alternative.TWO_SIDED, MannWhitney.Options.PLAIN_NORMAL).pValue();
        double theirs = new MannWhitneyUTest().mannWhitneyUTest(canary, baseline);
        if (Math.abs(ours - theirs) > 1e-9) {
            throw new IllegalStateException("the two implementations disagree: p = " + ours + " vs " + theirs);
        }
        System.out.println("p-values: judge " + ours + ", Commons Math " + theirs + ", judge default (corrected) "
                + MannWhitney.test(canary, baseline, Alternative.TWO_SIDED).pValue());
    }

    @Benchmark
    public double judgeMannWhitney() {
        return MannWhitney.test(canary, baseline, Alternative.TWO_SIDED).pValue();
    }

    @Benchmark
    public double judgeCommonsConventions() {
        return MannWhitney.test(canary, baseline, Alternative.TWO_SIDED, MannWhitney.Options.PLAIN_NORMAL).pValue();
    }

    @Benchmark
    public double commonsMath() {
        return new MannWhitneyUTest().mannWhitneyUTest(canary, baseline);
    }
}
