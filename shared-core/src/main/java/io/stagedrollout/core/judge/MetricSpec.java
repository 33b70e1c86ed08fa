package io.stagedrollout.core.judge;

/**
 * One metric of a {@code judge} gate.
 *
 * @param allowedIncrease  the canary's mean may reach this multiple of the baseline's before it counts as HIGH (1.1 = +10%)
 * @param allowedDecrease  the canary's mean may fall to this multiple before it counts as LOW (0.9 = -10%)
 * @param criticalIncrease a HIGH metric whose mean ratio reaches this fails the gate whatever the score (null: none)
 * @param criticalDecrease a LOW metric whose mean ratio falls to this fails the gate whatever the score (null: none)
 * @param critical         any HIGH or LOW of this metric fails the gate whatever the score
 * @param minSamples       fewer values (per group, after NaN and outlier handling) are NODATA
 */
public record MetricSpec(
        String name,
        SourceSpec source,
        Direction direction,
        double allowedIncrease,
        double allowedDecrease,
        Double criticalIncrease,
        Double criticalDecrease,
        boolean critical,
        double weight,
        NanPolicy nan,
        OutlierPolicy outliers,
        double outlierFactor,
        int minSamples) {

    /** What NaN (and infinite) values become: dropped, zero, or an ERROR for the metric. */
    public enum NanPolicy { REMOVE, ZERO, ERROR }

    /** Whether values outside Tukey's fences (Q1 - f*IQR, Q3 + f*IQR) per group are dropped. */
    public enum OutlierPolicy { KEEP, REMOVE }
}
