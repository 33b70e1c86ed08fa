package io.stagedrollout.core.judge.sequential;

/**
 * The conditional log-likelihood of the canary/baseline error-rate ratio on a grid of log-ratios, summed over
 * intervals.
 *
 * <p>Why conditional: given how many requests each side served in an interval ({@code a}, {@code b}) and how many
 * errors both produced together ({@code m}), the canary's share of the errors is Binomial(m, θ) with
 * θ = a·ρ / (a·ρ + b), where ρ is the ratio of the canary's error rate to the baseline's (exact when errors arrive
 * as Poisson processes). The baseline's own rate cancels out, so traffic peaks, incidents that hit both versions, or
 * a changing exposure do not disturb the test; only the ratio ρ matters, and it is assumed constant through the bake.
 * When instead each request errs independently with a fixed probability, the canary's share is hypergeometric;
 * sampling without replacement is dominated in convex order by sampling with replacement (Hoeffding, 1963, Thm. 4),
 * so the binomial likelihood ratios used here keep an expectation of at most 1 under the null, and the test stays
 * valid (slightly conservative).
 */
final class RatioLikelihood {
    private final double[] logRatio;
    private final double[] ratio;
    private final double[] inverse;
    private final double[] logLik;

    RatioLikelihood(double[] logRatios) {
        this.logRatio = logRatios.clone();
        this.ratio = new double[logRatios.length];
        this.inverse = new double[logRatios.length];
        this.logLik = new double[logRatios.length];
        for (int j = 0; j < logRatios.length; j++) {
            ratio[j] = Math.exp(logRatios[j]);
            inverse[j] = Math.exp(-logRatios[j]);
        }
    }

    /** Adds one interval's counts; intervals without errors or without traffic on one side carry no information. */
    void add(IntervalCounts c) {
        if (!c.informative()) return;
        double x = c.canaryErrors();
        double y = c.baselineErrors();
        double r = (double) c.baselineRequests() / c.canaryRequests();
        for (int j = 0; j < logLik.length; j++) {
            // log θ = -log1p(r/ρ), log(1-θ) = -log1p(ρ/r)
            logLik[j] -= x * Math.log1p(r * inverse[j]) + y * Math.log1p(ratio[j] / r);
        }
    }

    int size() {
        return logLik.length;
    }

    double logRatio(int j) {
        return logRatio[j];
    }

    double logLik(int j) {
        return logLik[j];
    }
}
