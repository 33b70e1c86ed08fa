package io.stagedrollout.core.judge;

/**
 * How one metric of the canary compares with the baseline (Kayenta's Pass / High / Low / NoData, plus TOO_FEW and
 * ERROR).
 */
public enum MetricClass {
    /** No regression beyond the allowed effect size. */
    PASS,
    /** The canary is significantly higher, beyond the allowed increase. */
    HIGH,
    /** The canary is significantly lower, beyond the allowed decrease. */
    LOW,
    /** A group has no values at all (after NaN and outlier handling): Kayenta's NoData. Never a pass. */
    NODATA,
    /** Both groups have values, but fewer than minSamples: not enough yet. Never a pass. */
    TOO_FEW,
    /** The source could not be read. Never a pass. */
    ERROR
}
