package io.stagedrollout.core.judge;

/**
 * The standard normal distribution, written here because the core depends on the JDK and Jackson only.
 * {@code erfc} uses the Maclaurin series of erf for small arguments and the Laplace continued fraction for
 * large ones (Abramowitz and Stegun 7.1.5 and 7.1.14), evaluated with the modified Lentz method; both converge to
 * double precision in the ranges used. The quantile is found by safeguarded Newton iteration on the CDF.
 */
public final class Normal {
    private static final double SQRT2 = Math.sqrt(2.0);
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    private Normal() {}

    /** P(Z <= z). */
    public static double cdf(double z) {
        if (Double.isNaN(z)) return Double.NaN;
        return 0.5 * erfc(-z / SQRT2);
    }

    /** P(Z > z), accurate in the far upper tail. */
    public static double upperTail(double z) {
        return cdf(-z);
    }

    public static double density(double z) {
        return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    }

    /** The complementary error function. */
    public static double erfc(double x) {
        if (Double.isNaN(x)) return Double.NaN;
        if (x < 0) return 2.0 - erfc(-x);
        if (x < 2.5) return 1.0 - erfSeries(x);
        if (x > 27) return 0.0;
        return erfcContinuedFraction(x);
    }

    /** erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1)). */
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x; // (-1)^n x^(2n+1) / n!
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= -x2 / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    /** erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))). */
    private static double erfcContinuedFraction(double x) {
        final double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double a = n / 2.0;
            d = x + a * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = x + a / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) break;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }

    /** The z with P(Z <= z) = p, for 0 < p < 1. */
    public static double quantile(double p) {
        if (!(p > 0 && p < 1)) throw new IllegalArgumentException("probability must be in (0, 1): " + p);
        if (p == 0.5) return 0;
        double lo = -40, hi = 40, z = 0;
        for (int i = 0; i < 200; i++) {
            double f = cdf(z) - p;
            if (f == 0) return z;
            if (f > 0) hi = z; else lo = z;
            double step = f / density(z);
            double next = z - step;
            if (!(next > lo && next < hi) || !Double.isFinite(next)) next = (lo + hi) / 2;
            if (Math.abs(next - z) <= 1e-15 * Math.max(1, Math.abs(z))) return next;
            z = next;
        }
        return z;
    }
}
