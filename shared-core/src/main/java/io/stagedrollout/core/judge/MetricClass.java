package io.stagedrollout.core.judge;

/** How one metric of the canary compares with the baseline (Kayenta's Pass / High / Low / NoData, plus Error). */
public enum MetricClass {
    /** No regression beyond the allowed effect size. */
    PASS,
    /** The canary is significantly higher, beyond the allowed increase. */
    HIGH,
    /** The canary is significantly lower, beyond the allowed decrease. */
    LOW,
    /** Too few values to judge (after NaN and outlier handling). Never a pass. */
    NODATA,
    /** The source could not be read. Never a pass. */
    ERROR
}
