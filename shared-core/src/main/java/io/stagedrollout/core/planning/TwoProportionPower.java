package io.stagedrollout.core.planning;

import io.stagedrollout.core.judge.Normal;

/**
 * Sample sizes and power of the two-proportion z-test (pooled variance under the null hypothesis) that compares
 * the canary's error rate p1 with the baseline's p0, when the baseline gets k requests for every canary request.
 *
 * <p>Canary requests needed (Fleiss, Levin and Paik, <i>Statistical Methods for Rates and Proportions</i>, 3rd ed.,
 * 2003, section 4.4, eq. 4.19, without continuity correction):
 * <pre>
 *   n1 = [ z(1-a) * sqrt((1 + 1/k) * pbar * (1 - pbar)) + z(power) * sqrt(p1(1-p1) + p0(1-p0)/k) ]^2 / (p1 - p0)^2
 *   pbar = (p1 + k * p0) / (1 + k)
 * </pre>
 * with z(1-a) replaced by z(1-a/2) for a two-sided test. With k = 1 this is the familiar equal-allocation formula
 * (e.g. 435 per group for 5% against 10% at two-sided 0.05 and power 0.8). A ring at 100% has no concurrent
 * baseline; it is compared with the known baseline rate, the limit k → ∞ (the one-sample test):
 * n1 = [z(1-a) sqrt(p0(1-p0)) + z(power) sqrt(p1(1-p1))]^2 / (p1 - p0)^2. Power at a given n1 solves the same
 * equation for z(power).
 */
public final class TwoProportionPower {
    private TwoProportionPower() {}

    /** Canary requests needed; {@code k} = baseline requests per canary request (infinite: known baseline). */
    public static double canaryRequests(double p0, double p1, double k, double alpha, double power, boolean twoSided) {
        check(p0, p1, alpha);
        double za = Normal.quantile(1 - (twoSided ? alpha / 2 : alpha));
        double zb = Normal.quantile(power);
        double root = za * Math.sqrt(nullVariance(p0, p1, k)) + zb * Math.sqrt(altVariance(p0, p1, k));
        return root * root / ((p1 - p0) * (p1 - p0));
    }

    /** The power reached with {@code n1} canary requests. */
    public static double power(double p0, double p1, double k, double alpha, double n1, boolean twoSided) {
        check(p0, p1, alpha);
        if (n1 <= 0) return 0;
        double za = Normal.quantile(1 - (twoSided ? alpha / 2 : alpha));
        double z = (Math.abs(p1 - p0) * Math.sqrt(n1) - za * Math.sqrt(nullVariance(p0, p1, k))) / Math.sqrt(altVariance(p0, p1, k));
        return Normal.cdf(z);
    }

    /** n1 times the variance of p1_hat - p0_hat under H0 (pooled rate). */
    private static double nullVariance(double p0, double p1, double k) {
        if (Double.isInfinite(k)) return p0 * (1 - p0);
        double pbar = (p1 + k * p0) / (1 + k);
        return (1 + 1 / k) * pbar * (1 - pbar);
    }

    /** n1 times the variance of p1_hat - p0_hat under H1. */
    private static double altVariance(double p0, double p1, double k) {
        return p1 * (1 - p1) + (Double.isInfinite(k) ? 0 : p0 * (1 - p0) / k);
    }

    private static void check(double p0, double p1, double alpha) {
        if (!(p0 > 0 && p0 < 1 && p1 > 0 && p1 < 1) || p0 == p1) {
            throw new IllegalArgumentException("error rates must be in (0, 1) and differ: " + p0 + ", " + p1);
        }
        if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("alpha must be in (0, 1): " + alpha);
    }
}
