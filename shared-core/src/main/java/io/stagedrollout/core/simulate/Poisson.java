package io.stagedrollout.core.simulate;

import java.util.SplittableRandom;

/**
 * Poisson random numbers: inversion for small means, otherwise Hörmann's transformed rejection with squeeze (PTRS),
 * W. Hörmann, "The transformed rejection method for generating Poisson random variables", Insurance: Mathematics and
 * Economics 12(1), 1993. Both are exact; PTRS costs O(1) per sample, so 100 requests/s over an hour is cheap.
 */
public final class Poisson {
    private static final double[] LOG_FACTORIAL = new double[16];

    static {
        for (int k = 1; k < LOG_FACTORIAL.length; k++) LOG_FACTORIAL[k] = LOG_FACTORIAL[k - 1] + Math.log(k);
    }

    private Poisson() {}

    public static long sample(SplittableRandom random, double mean) {
        if (!(mean >= 0) || Double.isInfinite(mean)) throw new IllegalArgumentException("mean must be finite and >= 0, not " + mean);
        if (mean == 0) return 0;
        return mean < 10 ? inversion(random, mean) : ptrs(random, mean);
    }

    private static long inversion(SplittableRandom random, double mean) {
        double p = Math.exp(-mean);
        double cdf = p;
        double u = random.nextDouble();
        long k = 0;
        while (u > cdf && k < 1000) {
            k++;
            p *= mean / k;
            cdf += p;
        }
        return k;
    }

    private static long ptrs(SplittableRandom random, double mean) {
        double logMean = Math.log(mean);
        double b = 0.931 + 2.53 * Math.sqrt(mean);
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = random.nextDouble() - 0.5;
            double v = random.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logMean - logFactorial(k)) {
                return k;
            }
        }
    }

    /** ln(k!), exact below 16 and by Stirling's series above (error below 1e-12 there). */
    static double logFactorial(long k) {
        if (k < LOG_FACTORIAL.length) return LOG_FACTORIAL[(int) k];
        double x = k;
        double inv = 1 / x, inv2 = inv * inv;
        return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x)
                + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
    }
}
