package io.stagedrollout.core.judge;

/**
 * The exact null distribution of the Mann-Whitney U statistic for samples of sizes n and m without ties.
 * The number of arrangements with U = u follows the recurrence f(i, j, u) = f(i-1, j, u-j) + f(i, j-1, u)
 * (Mann and Whitney 1947, eq. 2): the largest of the i+j values belongs either to the first sample, which then
 * beats all j values of the second, or to the second. Counts are kept as doubles; only additions are made, so the
 * relative error stays near machine precision.
 */
final class ExactU {
    /** Sizes up to this (each) are computed exactly, as R's {@code wilcox.test} does below 50. */
    static final int MAX_SIZE = 49;

    private final int n;
    private final int m;
    private final double[] cumulative; // cumulative[u] = P(U <= u)
    private final double[] tail; // tail[u] = P(U >= u), summed from the top so tiny tails keep their precision

    ExactU(int n, int m) {
        if (n < 1 || m < 1 || n > MAX_SIZE || m > MAX_SIZE) {
            throw new IllegalArgumentException("exact U distribution needs 1..49 values per sample, not " + n + " and " + m);
        }
        this.n = n;
        this.m = m;
        int max = n * m;
        // f[i][u]: arrangements of i first-sample values among the current j second-sample values with U = u
        double[][] f = new double[n + 1][max + 1];
        for (int i = 0; i <= n; i++) f[i][0] = 1; // j = 0: one arrangement, U = 0
        for (int j = 1; j <= m; j++) {
            for (int i = 1; i <= n; i++) {
                double[] row = f[i];
                double[] prev = f[i - 1]; // already at j
                for (int u = i * j; u >= j; u--) {
                    row[u] += prev[u - j];
                }
            }
        }
        double total = 0;
        for (double c : f[n]) total += c;
        cumulative = new double[max + 1];
        double run = 0;
        for (int u = 0; u <= max; u++) {
            run += f[n][u];
            cumulative[u] = Math.min(1.0, run / total);
        }
        tail = new double[max + 1];
        run = 0;
        for (int u = max; u >= 0; u--) {
            run += f[n][u];
            tail[u] = Math.min(1.0, run / total);
        }
    }

    /** P(U <= u). */
    double cdf(double u) {
        if (u < 0) return 0;
        int k = (int) Math.floor(u + 1e-9);
        return k >= cumulative.length ? 1 : cumulative[k];
    }

    /** P(U >= u). */
    double upper(double u) {
        if (u <= 0) return 1;
        int k = (int) Math.ceil(u - 1e-9);
        return k >= tail.length ? 0 : tail[k];
    }

    /** The largest c with P(U <= c) <= p, or -1 when even P(U = 0) exceeds p. */
    int lowerCritical(double p) {
        int c = -1;
        for (int u = 0; u < cumulative.length && cumulative[u] <= p * (1 + 1e-12); u++) c = u;
        return c;
    }

    int n() {
        return n;
    }

    int m() {
        return m;
    }
}
