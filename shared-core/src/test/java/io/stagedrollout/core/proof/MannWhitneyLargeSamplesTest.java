package io.stagedrollout.core.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.stagedrollout.core.judge.Alternative;
import io.stagedrollout.core.judge.MannWhitney;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The judge's U statistic stays exact for samples far beyond int arithmetic (found by the Commons Math benchmark). */
class MannWhitneyLargeSamplesTest {
    static final int N = 100_000;

    @Test
    void identicalSamplesOf100000GiveUAtItsMeanAndNoEvidence() {
        double[] a = sample(1);
        MannWhitney.Result r = MannWhitney.test(a, a.clone(), Alternative.TWO_SIDED);
        assertThat(r.u()).isEqualTo(N * (double) N / 2);
        assertThat(r.pValue()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aCanaryEntirelyAboveTheBaselineHasTheLargestPossibleU() {
        double[] base = sample(2);
        double[] canary = new double[N];
        for (int i = 0; i < N; i++) canary[i] = base[i] + 1e6;
        MannWhitney.Result r = MannWhitney.test(canary, base, Alternative.GREATER);
        assertThat(r.u()).isEqualTo(N * (double) N);
        assertThat(r.pValue()).isLessThan(1e-12);
    }

    private static double[] sample(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] out = new double[N];
        for (int i = 0; i < N; i++) out[i] = random.nextDouble() * 1000;
        return out;
    }
}
